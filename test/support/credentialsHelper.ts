import { ICredentialsHelper, type ICredentialDataDecryptedObject } from 'n8n-workflow';

// Its own module, free of jest: the engine tests and the in-process trigger bench both use it.
/** Hands the engine the test's credentials, decrypted, by credential type. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly byType: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}
	getParentTypes(): string[] {
		return [];
	}
	isCredentialUsableByNode(): boolean {
		return true;
	}
	async authenticate(_credentials: ICredentialDataDecryptedObject, _type: string, requestOptions: never) {
		return requestOptions;
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials(): Promise<never> {
		throw new Error('not used by the tests');
	}
	async getDecrypted(_data: unknown, _details: unknown, type: string): Promise<ICredentialDataDecryptedObject> {
		const credentials = this.byType[type];
		if (!credentials) throw new Error(`No test credential of type ${type}`);
		return credentials;
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties() {
		return [];
	}
}
