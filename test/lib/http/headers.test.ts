import { header } from '../../../lib/http/headers';

describe('header: a case-insensitive read of received headers', () => {
	it('finds a lower-case name (as Node gives them) whatever case the caller asks in', () => {
		expect(header({ 'x-timestamp': '1700000000' }, 'X-Timestamp')).toBe('1700000000');
	});

	it('finds a name sent in another case (headers built by hand, not by Node)', () => {
		expect(header({ 'X-Gitlab-Token': 'value' }, 'x-gitlab-token')).toBe('value');
	});

	it('a header given once as a one-element list is its value', () => {
		expect(header({ 'webhook-id': ['msg_1'] }, 'webhook-id')).toBe('msg_1');
	});

	it('a repeated header (a list of two) is ambiguous and counts as missing, in either case', () => {
		expect(header({ 'webhook-id': ['msg_1', 'msg_2'] }, 'webhook-id')).toBeUndefined();
		expect(header({ 'Webhook-Id': ['msg_1', 'msg_2'] }, 'webhook-id')).toBeUndefined();
		expect(header({ 'webhook-id': [] }, 'webhook-id')).toBeUndefined();
	});

	it('an absent header is undefined; an empty value stays an empty string (present, not missing)', () => {
		expect(header({ other: 'x' }, 'x-timestamp')).toBeUndefined();
		expect(header({ 'x-timestamp': '' }, 'x-timestamp')).toBe('');
	});

	it('does not read inherited properties as headers', () => {
		expect(header({}, 'constructor')).toBeUndefined();
		expect(header({}, '__proto__')).toBeUndefined();
		expect(header({}, 'toString')).toBeUndefined();
	});

	it('an exact lower-case key wins over another casing of the same name', () => {
		expect(header({ 'X-Event': 'upper', 'x-event': 'lower' }, 'X-EVENT')).toBe('lower');
	});
});
