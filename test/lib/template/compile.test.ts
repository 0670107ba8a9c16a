import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { renderTemplate, TemplateError } from '../../../lib/template';

const data = {
	name: 'ada lovelace',
	Title: 'Engineer',
	empty: '',
	nothing: null,
	zero: 0,
	n: 7,
	pi: 3.14159,
	half: 2.5,
	big: 1234567.891,
	almost: 2.000000001,
	yes: true,
	no: false,
	tags: ['smoke', 'nightly'],
	none: [],
	run: {
		id: 'r1',
		status: 'failed',
		totals: { tests: 10, passed: 7, failed: 3 },
		git: null,
		app: { name: 'Shop', platform: 'android' },
		failures: [
			{ name: 'Login', reason: 'timeout', steps: [{ n: 1 }, { n: 2 }] },
			{ name: 'Pay', reason: null, steps: [{ n: 3 }] },
		],
	},
	quote: 'say "hi"\n\tnow',
	unicode: 'héllo wörld',
	blank: ' \t\n ',
	spaced: '  hello   big  world ',
	sentence: 'The quick brown fox jumps over',
	greeting: 'Hello, world',
	tiny: 1e-7,
	small: 2e-7,
	micro: 3e-7,
	WebhookRequest: { TransactionalId: 'tx-42' },
};

type Case = [name: string, template: string, expected: string];
type ErrorCase = [name: string, template: string, message: RegExp, line: number, column: number];

const rendering: Case[] = [
	// text and output
	['plain text is copied verbatim', 'Hello, world!', 'Hello, world!'],
	['an empty template renders nothing', '', ''],
	['a field', '${ name }', 'ada lovelace'],
	['a field without spaces in the tag', '${name}', 'ada lovelace'],
	['a field with extra spaces and newlines in the tag', '${   name\n }', 'ada lovelace'],
	['field names ignore case', '${ NAME } ${ title }', 'ada lovelace Engineer'],
	['a nested path', '${ run.totals.failed }', '3'],
	['a nested path ignoring case', '${ RUN.Totals.FAILED }', '3'],
	['text around outputs is kept exactly', '  a ${ n } b  \n', '  a 7 b  \n'],
	['adjacent outputs', '${n}${n}', '77'],
	['a dollar sign without a brace is text', 'costs $5 and @home', 'costs $5 and @home'],
	['a lone closing brace is text', 'a } b', 'a } b'],
	['an empty string field', '[${ empty }]', '[]'],
	['a list item by index', '${ tags[1] }', 'nightly'],
	['an index then a field', '${ run.failures[0].name }', 'Login'],
	['the transactional id', '${ WebhookRequest.TransactionalId }', 'tx-42'],
	// literals and numbers
	['a string literal in single quotes', "${ 'hi' }", 'hi'],
	['a string literal in double quotes', '${ "hi" }', 'hi'],
	['a string literal holding a closing brace', "${ 'a}b' }", 'a}b'],
	['an escaped quote in a string literal', "${ 'it\\'s' }", "it's"],
	['a number literal', '${ 42 }', '42'],
	['a decimal literal', '${ 1.5 }', '1.5'],
	['an integer prints without decimals', '${ n }', '7'],
	['a decimal prints rounded to 2 places', '${ pi }', '3.14'],
	['a decimal with one place', '${ half }', '2.5'],
	['a number within 1e-8 of an integer prints as the integer', '${ almost }', '2'],
	['a big decimal', '${ big }', '1234567.89'],
	['zero', '${ zero }', '0'],
	['negative zero prints as 0', '${ -zero }', '0'],
	['true prints True', '${ yes }', 'True'],
	['false prints False', '${ no }', 'False'],
	['a boolean literal', '${ true }', 'True'],
	// arithmetic
	['addition', '${ n + 3 }', '10'],
	['subtraction', '${ n - 10 }', '-3'],
	['multiplication', '${ n * 2 }', '14'],
	['division is floating point', '${ n / 2 }', '3.5'],
	['division rounds when printed', '${ 10 / 3 }', '3.33'],
	['precedence of * over +', '${ 1 + 2 * 3 }', '7'],
	['parentheses', '${ (1 + 2) * 3 }', '9'],
	['left associativity of -', '${ 10 - 3 - 2 }', '5'],
	['left associativity of /', '${ 8 / 4 / 2 }', '1'],
	['unary minus', '${ -n + 1 }', '-6'],
	['double unary minus', '${ - -n }', '7'],
	['arithmetic on nested fields', '${ run.totals.passed / run.totals.tests * 100 }', '70'],
	// concatenation
	['& joins text', "${ name & '!' }", 'ada lovelace!'],
	['& joins numbers as text', "${ n & '/' & 10 }", '7/10'],
	['& with booleans', "${ yes & '' }", 'True'],
	['& binds looser than +', '${ 1 + 2 & 3 }', '33'],
	['& with a decimal prints it rounded', "${ 'pi=' & pi }", 'pi=3.14'],
	// comparisons
	['= on numbers', '@{ if n = 7 }y@{ else }n@{ end if }', 'y'],
	['!= on numbers', '@{ if n != 7 }y@{ else }n@{ end if }', 'n'],
	['<> means !=', '@{ if n <> 8 }y@{ end if }', 'y'],
	['== means =', '@{ if n == 7 }y@{ end if }', 'y'],
	['< and >', '@{ if n < 8 and n > 6 }y@{ end if }', 'y'],
	['<= and >=', '@{ if n <= 7 and n >= 7 }y@{ end if }', 'y'],
	['string = ignores case', "@{ if run.status = 'FAILED' }y@{ end if }", 'y'],
	['string != ignores case', "@{ if run.status != 'Failed' }y@{ else }n@{ end if }", 'n'],
	['strings order ignoring case', "@{ if 'apple' < 'Banana' }y@{ end if }", 'y'],
	['= null on a null field', '@{ if nothing = null }null@{ end if }', 'null'],
	['!= null on a value', '@{ if name != null }set@{ end if }', 'set'],
	['= null on a value', '@{ if name = null }null@{ else }value@{ end if }', 'value'],
	['a null in the middle of a path counts as null', '@{ if run.git.sha = null }no git@{ end if }', 'no git'],
	['null = null', '@{ if null = null }y@{ end if }', 'y'],
	['an empty string is not null', '@{ if empty = null }null@{ else }empty@{ end if }', 'empty'],
	['booleans compare', '@{ if yes = true }y@{ end if }', 'y'],
	// logic
	['and', '@{ if yes and not no }y@{ end if }', 'y'],
	['or', '@{ if no or yes }y@{ end if }', 'y'],
	['not binds tighter than and', '@{ if not no and yes }y@{ else }n@{ end if }', 'y'],
	['and binds tighter than or', '@{ if yes or no and no }y@{ else }n@{ end if }', 'y'],
	['parentheses change logic precedence', '@{ if (yes or no) and no }y@{ else }n@{ end if }', 'n'],
	['keywords ignore case', '@{ IF yes AND NOT no }y@{ ELSE }n@{ END IF }', 'y'],
	['not not', '@{ if not not yes }y@{ end if }', 'y'],
	['or short-circuits past an error', '@{ if yes or missingField }y@{ end if }', 'y'],
	['and short-circuits past an error', '@{ if no and missingField }y@{ else }n@{ end if }', 'n'],
	// if blocks
	['if true', '@{ if yes }a@{ end if }', 'a'],
	['if false renders nothing', '@{ if no }a@{ end if }', ''],
	['if / else', '@{ if no }a@{ else }b@{ end if }', 'b'],
	['else if', '@{ if no }a@{ else if yes }b@{ else }c@{ end if }', 'b'],
	['several else ifs, first true wins', '@{ if n = 1 }1@{ else if n = 7 }7@{ else if n > 0 }pos@{ end if }', '7'],
	['else if falls to else', '@{ if no }a@{ else if no }b@{ else }c@{ end if }', 'c'],
	['nested ifs', '@{ if yes }[@{ if no }x@{ else }y@{ end if }]@{ end if }', '[y]'],
	['whitespace around tags is kept', '<\n@{ if yes }\n  a\n@{ end if }\n>', '<\n\n  a\n\n>'],
	['tags with no spaces', '@{if yes}a@{else}b@{end if}', 'a'],
	['tags with many spaces', '@{   if   yes   }a@{   end   if   }', 'a'],
	['a condition on a nested number', '@{ if run.totals.failed > 0 }failing@{ end if }', 'failing'],
	// for loops
	['for over a list of strings', '@{ for t in tags }${ t };@{ end for }', 'smoke;nightly;'],
	['for over an empty list', '[@{ for t in none }x@{ end for }]', '[]'],
	['for over objects', '@{ for f in run.failures }${ f.name }:${ ReplaceIfEmpty(f.reason, "?") } @{ end for }', 'Login:timeout Pay:? '],
	['nested for loops', '@{ for f in run.failures }${ f.name }(@{ for s in f.steps }${ s.n }@{ end for }) @{ end for }', 'Login(12) Pay(3) '],
	['the loop variable ignores case', '@{ for T in tags }${ t }@{ end for }', 'smokenightly'],
	['the loop variable shadows a field', '@{ for name in tags }${ name }@{ end for }|${ name }', 'smokenightly|ada lovelace'],
	['outer fields are visible in a loop', '@{ for t in tags }${ run.id }@{ end for }', 'r1r1'],
	['keywords ignore case in loops', '@{ FOR t IN tags }${ t }@{ END FOR }', 'smokenightly'],
	['a for inside an if', '@{ if yes }@{ for t in tags }${ t }@{ end for }@{ end if }', 'smokenightly'],
	['an if inside a for', '@{ for t in tags }@{ if t = "smoke" }S@{ else }N@{ end if }@{ end for }', 'SN'],
	['a loop over an index expression', '@{ for s in run.failures[0].steps }${ s.n }@{ end for }', '12'],
	// set
	['set a variable', '@{ set x = n * 2 }${ x }', '14'],
	['set a string variable', "@{ set greeting = 'hi ' & name }${ greeting }", 'hi ada lovelace'],
	['set again replaces', '@{ set x = 1 }@{ set x = x + 1 }${ x }', '2'],
	['set inside a loop updates the outer variable', '@{ set count = 0 }@{ for t in tags }@{ set count = count + 1 }@{ end for }${ count }', '2'],
	[
		'set inside nested loops updates the outer variable',
		'@{ set total = 0 }@{ for f in run.failures }@{ for s in f.steps }@{ set total = total + s.n }@{ end for }@{ end for }${ total }',
		'6',
	],
	['a variable first set in a loop stays inside it', '@{ for t in tags }@{ set last = t }${ last }@{ end for }', 'smokenightly'],
	['variable names ignore case', '@{ set Total = 5 }${ TOTAL }', '5'],
	['a variable shadows a field', '@{ set name = "x" }${ name }', 'x'],
	['set a comma-separated join', '@{ set sep = "" }@{ for t in tags }${ sep }${ t }@{ set sep = ", " }@{ end for }', 'smoke, nightly'],
	['set the loop variable inside the loop: it holds until the next pass', '@{ for t in tags }${ t }@{ set t = "x" }${ t }@{ end for }', 'smokexnightlyx'],
	[
		'a nested loop with the same variable shadows the outer one',
		'@{ for f in run.failures }@{ for f in f.steps }${ f.n }@{ end for }${ f.name }@{ end for }',
		'12Login3Pay',
	],
	['a variable set in a loop is gone after it: the name reads the field again', '@{ for t in tags }@{ set name = t }@{ end for }${ name }', 'ada lovelace'],
	['a variable may hold null', '@{ for t in tags }@{ set v = nothing }${ v = null }@{ end for }', 'TrueTrue'],
	['a loop variable ignores case', '@{ for t in tags }${ T }@{ end for }', 'smokenightly'],
	// comments
	['a comment renders nothing', 'a@{* hidden *}b', 'ab'],
	['a multi-line comment', 'a@{* line 1\nline 2 ${ nothing } *}b', 'ab'],
	['a comment holding tags is not run', '@{* @{ if }} *}ok', 'ok'],
	// functions, call form
	['ToUpper', '${ ToUpper(name) }', 'ADA LOVELACE'],
	['ToLower', '${ ToLower(Title) }', 'engineer'],
	['Capitalize', '${ Capitalize(name) }', 'Ada lovelace'],
	['Capitalize folds runs of spaces and drops leading and trailing ones, as Quokka', '[${ Capitalize(spaced) }]', '[Hello big world]'],
	['Capitalize of empty text', '[${ Capitalize(empty) }]', '[]'],
	['Capitalize raises a non-ASCII initial', '${ Capitalize(unicode) }', 'Héllo wörld'],
	['Capitalize leaves the rest of the text as it is', '${ Capitalize("mIxEd CaSe") }', 'MIxEd CaSe'],
	['CapitalizeAllWords', '${ CapitalizeAllWords(name) }', 'Ada Lovelace'],
	['ReplaceIfEmpty on null', '${ ReplaceIfEmpty(nothing, "none") }', 'none'],
	['ReplaceIfEmpty on an empty string', '${ ReplaceIfEmpty(empty, "none") }', 'none'],
	['ReplaceIfEmpty on a value', '${ ReplaceIfEmpty(name, "none") }', 'ada lovelace'],
	['ReplaceIfEmpty on a null path', '${ ReplaceIfEmpty(run.git.branch, "no branch") }', 'no branch'],
	['IsEmpty on null', '${ IsEmpty(nothing) }', 'True'],
	['IsEmpty on an empty string', '${ IsEmpty(empty) }', 'True'],
	['IsEmpty on an empty list', '${ IsEmpty(none) }', 'True'],
	['IsEmpty on a value', '${ IsEmpty(name) }', 'False'],
	['ReplaceIfEmpty on whitespace-only text', '${ ReplaceIfEmpty(blank, "none") }', 'none'],
	['IsEmpty on whitespace-only text', '${ IsEmpty(blank) }', 'True'],
	['ReplaceIfEmpty keeps text that has whitespace around it', '[${ ReplaceIfEmpty(" x ", "none") }]', '[ x ]'],
	['Length of text', '${ Length(name) }', '12'],
	['Length of a list', '${ Length(tags) }', '2'],
	['Count', '${ Count(run.failures) }', '2'],
	['Count of an empty list', '${ Count(none) }', '0'],
	['Truncate keeps length - 3 characters and adds "..."', '${ Truncate(name, 9) }', 'ada lo...'],
	['Truncate drops a dangling one-letter word and the space before it', '${ Truncate(name, 8) }', 'ada...'],
	['Truncate drops a one-letter word cut in a sentence', '${ Truncate(sentence, 14) }', 'The quick...'],
	['Truncate drops trailing punctuation before the ellipsis', '${ Truncate(greeting, 9) }', 'Hello...'],
	['Truncate longer than the text', '${ Truncate(name, 100) }', 'ada lovelace'],
	['Truncate to exactly the length of the text', '${ Truncate(name, 12) }', 'ada lovelace'],
	['Truncate rounds a decimal length half to even, as .NET', '${ Truncate(name, 8.5) }|${ Truncate(name, 9.5) }', 'ada...|ada lov...'],
	['Substring is 1-based', '${ Substring(name, 1, 3) }', 'ada'],
	['Substring from the middle', '${ Substring(name, 5, 4) }', 'love'],
	['Substring without a length takes the rest', '${ Substring(name, 5) }', 'lovelace'],
	['Substring past the end is empty', '[${ Substring(name, 50, 2) }]', '[]'],
	['Substring counts characters, not bytes', '${ Substring(unicode, 2, 4) }', 'éllo'],
	['Floor', '${ Floor(pi) }', '3'],
	['Ceiling', '${ Ceiling(pi) }', '4'],
	['Floor of a negative number', '${ Floor(-pi) }', '-4'],
	['If true', '${ If(yes, "a", "b") }', 'a'],
	['If false', '${ If(n > 10, "big", "small") }', 'small'],
	['MD5 of text, upper-case hex', '${ MD5("hello") }', '5D41402ABC4B2A76B9719D911017C592'],
	['SHA1', '${ SHA1("hello") }', 'AAF4C61DDCC5E8A2DABEDE0F3B482CD9AEA9434D'],
	['SHA256', '${ SHA256("hello") }', '2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824'],
	['SHA512', '${ Substring(SHA512("hello"), 1, 16) }', '9B71D224BD62F378'],
	['hashes use UTF-8 bytes', '${ MD5("é") }', md5('é')],
	['ToBase64', '${ ToBase64("hello") }', 'aGVsbG8='],
	['ToBase64 of UTF-8', '${ ToBase64(unicode) }', Buffer.from('héllo wörld').toString('base64')],
	['ToHexadecimal', '${ ToHexadecimal("hi") }', '6869'],
	['ToHexadecimal of UTF-8, upper case', '${ ToHexadecimal("é") }', 'C3A9'],
	['function names ignore case', '${ toupper(name) } ${ TOLOWER(Title) }', 'ADA LOVELACE engineer'],
	['functions take numbers as text', '${ ToUpper(n) }', '7'],
	['nested calls', '${ ToUpper(Substring(name, 1, 3)) }', 'ADA'],
	['a call inside arithmetic', '${ Count(tags) * 10 }', '20'],
	// decimal arithmetic, as .NET decimal
	['0.1 + 0.2 equals 0.3', '${ 0.1 + 0.2 = 0.3 }', 'True'],
	['0.3 - 0.1 equals 0.2', '${ 0.3 - 0.1 = 0.2 }', 'True'],
	['1.1 * 3 equals 3.3', '${ 1.1 * 3 = 3.3 }', 'True'],
	['0.3 / 0.1 equals 3', '${ 0.3 / 0.1 = 3 }', 'True'],
	['decimal arithmetic on data values', '${ pi + half - pi = half }', 'True'],
	['a sum of decimals in a loop stays exact', '@{ set total = 0 }@{ for t in tags }@{ set total = total + 0.1 }@{ end for }${ total = 0.2 }', 'True'],
	['a call inside a condition', '@{ if Count(run.failures) > 1 }many@{ end if }', 'many'],
	// number comparison with Quokka's tolerance: closer than 1e-7 is equal
	["Quokka's Render_IfArithmeticLogic_Equals_True_Precision", '@{ if (3 / 7) = (9000000 / 21000001) }Correct.@{ end if }', 'Correct.'],
	['numbers within the tolerance are not unequal', '${ (3 / 7) != (9000000 / 21000001) }', 'False'],
	['a difference of 0.00000009 is equal, of 0.0000002 is not', '${ 1 = 1.00000009 } ${ 1 = 1.0000002 }', 'True False'],
	['negative numbers within the tolerance are equal', '${ -1 = -1.00000009 } ${ -2.5 = -2.4999998 }', 'True False'],
	['numbers on both sides of zero within the tolerance are equal', '${ -0.00000004 = 0.00000004 } ${ 0 = -0 }', 'True True'],
	['a difference of exactly the tolerance is unequal, for = and != alike', '${ tiny = 0 } ${ tiny != 0 } ${ small - tiny = tiny }', 'False True True'],
	['small magnitudes: the tolerance is absolute, not relative', '${ 0.00000001 = 0.00000009 }', 'True'],
	['huge magnitudes: the tolerance is absolute, not relative', '${ 1000000000000 + 0.001 = 1000000000000 } ${ big * 1000000 = 1234567891000 }', 'False True'],
	['< and > need more than the tolerance', '${ 1 < 1.00000005 } ${ 1.00000005 > 1 } ${ 1 < 1.0000002 } ${ 1.0000002 > 1 }', 'False False True True'],
	['<= and >= hold within the tolerance', '${ 1.00000005 <= 1 } ${ 1 >= 1.00000005 } ${ 1.0000002 <= 1 }', 'True True False'],
	['exactly one of <, = and > holds at the tolerance', '${ 0 < tiny } ${ 0 = tiny } ${ 0 > tiny } ${ -tiny < 0 }', 'True False False True'],
	['the tolerance reaches numbers from data and arithmetic', '@{ if pi * 7 / 7 = 3.14159 and half / 3 * 3 = 2.5 }y@{ end if }', 'y'],
	// functions, filter form
	['a filter', '${ name | ToUpper() }', 'ADA LOVELACE'],
	['a filter without parentheses', '${ name | ToUpper }', 'ADA LOVELACE'],
	['a filter with an argument', '${ name | Truncate(9) }', 'ada lo...'],
	['chained filters', '${ name | Substring(5) | Capitalize() }', 'Lovelace'],
	['a filter on an expression', "${ name & ' x' | ToUpper() }", 'ADA LOVELACE X'],
	['ReplaceIfEmpty as a filter', '${ nothing | ReplaceIfEmpty("n/a") }', 'n/a'],
	['a filter on a number', '${ pi | Floor() }', '3'],
	['filter names ignore case', '${ name | toupper() }', 'ADA LOVELACE'],
];

function md5(text: string): string {
	return createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
}

const json: Case[] = [
	['JSON mode escapes quotes and control characters', '{"q": "${ quote }"}', '{"q": "say \\"hi\\"\\n\\tnow"}'],
	['JSON mode prints numbers at full precision', '{"pi": ${ pi }}', '{"pi": 3.14159}'],
	['JSON mode prints booleans as literals', '{"yes": ${ yes }, "no": ${ no }}', '{"yes": true, "no": false}'],
	['JSON mode keeps unicode', '{"u": "${ unicode }"}', '{"u": "héllo wörld"}'],
	[
		'JSON mode with a loop building an array',
		'[@{ set sep = "" }@{ for f in run.failures }${ sep }{"name": "${ f.name }"}@{ set sep = "," }@{ end for }]',
		'[{"name": "Login"},{"name": "Pay"}]',
	],
	[
		'JSON mode prints a decimal sum exactly',
		'{"sum": ${ 0.1 + 0.2 }, "product": ${ 1.005 * 1000 }, "third": ${ 1 / 3 }}',
		'{"sum": 0.3, "product": 1005, "third": 0.3333333333333333}',
	],
	[
		'JSON mode: decimal results past double-sized coefficients stay exact',
		'{"product": ${ tiny * small }, "quotient": ${ 0.1 / micro }, "percent": ${ 4.35 * 100 }}',
		'{"product": 2e-14, "quotient": 333333.3333333333, "percent": 435}',
	],
	['JSON mode text from & is escaped too', '{"a": "${ quote & "!" }"}', '{"a": "say \\"hi\\"\\n\\tnow!"}'],
];

const errors: ErrorCase[] = [
	['outputting null', 'Hi ${ nothing }', /Cannot output null/, 1, 7],
	['outputting a null path', '\n${ run.git.sha }', /Cannot output null/, 2, 4],
	['a missing field', '${ missing }', /Unknown field or variable "missing"/, 1, 4],
	['a missing nested field', 'x ${ run.nope }', /Field "nope" does not exist/, 1, 10],
	['a missing field is not null', '@{ if missing = null }x@{ end if }', /Unknown field or variable "missing"/, 1, 7],
	['outputting an object', '${ run }', /Cannot output a object; output one of its fields/, 1, 4],
	['outputting a list', '${ tags }', /Cannot output a list/, 1, 4],
	['an unknown function', '${ Shout(name) }', /Unknown function "Shout"/, 1, 4],
	['an unknown filter', '${ name | Shout() }', /Unknown function "Shout"/, 1, 11],
	['a function with too many arguments', '${ ToUpper(name, 1) }', /ToUpper takes 1 argument, got 2/, 1, 4],
	['a function with too few arguments', '${ Substring(name) }', /Substring takes 2 to 3 arguments, got 1/, 1, 4],
	['an unclosed if', 'a\n@{ if yes }b', /"if" is not closed with "@\{ end if \}"/, 2, 1],
	['an unclosed for', '@{ for t in tags }', /"for" is not closed/, 1, 1],
	['end if closing a for', '@{ for t in tags }@{ end if }', /"end if" closes the "for" opened at line 1, column 1/, 1, 19],
	['end for without a for', 'x@{ end for }', /"end for" without an open "for"/, 1, 2],
	['else without if', '@{ else }', /"else" without an open "if"/, 1, 1],
	['two elses', '@{ if yes }@{ else }@{ else }@{ end if }', /"else" after "else"/, 1, 21],
	['an unknown statement', '@{ while yes }', /Unknown statement "while"/, 1, 1],
	['an unclosed tag', 'abc ${ name', /Tag is not closed with "\}"/, 1, 5],
	['an unclosed comment', 'a @{* never closed', /Comment is not closed/, 1, 3],
	['an unclosed string', "${ 'abc }", /String is not closed/, 1, 4],
	['an empty output tag', '${ }', /Empty output tag/, 1, 1],
	['an unexpected character', '${ name # 1 }', /Unexpected character "#"/, 1, 9],
	['a dangling operator', '${ n + }', /Expected a value/, 1, 8],
	['two values in a row', '${ n n }', /Unexpected "n"/, 1, 6],
	['a condition that is not a boolean', '@{ if name }x@{ end if }', /condition of "if" must be true or false, got a string/, 1, 7],
	['a null condition', '@{ if nothing }x@{ end if }', /condition of "if" must be true or false, got null/, 1, 7],
	['and with a non-boolean', '@{ if yes and n }x@{ end if }', /condition of "and" must be true or false, got a number/, 1, 15],
	['not with a non-boolean', '@{ if not n }x@{ end if }', /condition of "not" must be true or false/, 1, 11],
	['for over a string', '@{ for c in name }x@{ end for }', /"for" iterates lists only, got a string/, 1, 13],
	['for over an object', '@{ for c in run }x@{ end for }', /"for" iterates lists only, got a object/, 1, 13],
	['for over null', '@{ for c in nothing }x@{ end for }', /"for" iterates lists only, got null/, 1, 13],
	['+ on strings', "${ name + 'x' }", /"\+" works on numbers only, got a string and a string; join text with "&"/, 1, 9],
	['* with null', '${ nothing * 2 }', /"\*" works on numbers only, got null and a number/, 1, 12],
	['division by zero', '${ n / zero }', /Division by zero/, 1, 6],
	['comparing a string with a number', '@{ if name = 1 }x@{ end if }', /Cannot compare a string with a number/, 1, 12],
	['ordering a string and a number', '@{ if name < 1 }x@{ end if }', /"<" compares two numbers or two texts/, 1, 12],
	['a function given null', '${ ToUpper(nothing) }', /ToUpper got null; handle it with ReplaceIfEmpty/, 1, 4],
	['Substring from 0', '${ Substring(name, 0, 2) }', /Substring counts from 1; got a start of 0/, 1, 4],
	['Truncate with a negative length', '${ Truncate(name, -1) }', /Truncate needs a length of 5 or more, got -1/, 1, 4],
	['Truncate below 5, as Quokka refuses', '${ Truncate(name, 4) }', /Truncate needs a length of 5 or more, got 4/, 1, 4],
	['Count of text', '${ Count(name) }', /Count needs a list, got a string/, 1, 4],
	['Floor of text', '${ Floor(name) }', /Floor needs a number, got a string/, 1, 4],
	['If with a non-boolean', '${ If(n, 1, 2) }', /If needs a true\/false condition/, 1, 4],
	['& with null', "${ 'a' & nothing }", /Cannot join null with "&"/, 1, 10],
	['an index out of range', '${ tags[5] }', /Index 5 is outside the list \(2 items\)/, 1, 8],
	['indexing text', '${ name[0] }', /Only lists can be indexed/, 1, 8],
	['a field of a string', '${ name.length }', /"length" is not a field of a string/, 1, 9],
	['__proto__ resolves to nothing', '${ run.__proto__ }', /Field "__proto__" does not exist/, 1, 8],
	['constructor resolves to nothing', '${ run.constructor }', /Field "constructor" does not exist/, 1, 8],
	['prototype resolves to nothing', '${ constructor }', /Unknown field or variable "constructor"/, 1, 4],
	['a keyword as a variable name', '@{ set and = 1 }', /Expected a variable name but found "and"/, 1, 8],
	['set without =', '@{ set x 1 }', /Expected "=" but found "1"/, 1, 10],
	[
		'a variable set in one loop pass is gone in the next',
		'@{ for t in tags }@{ if t = "nightly" }${ kept }@{ end if }@{ set kept = t }@{ end for }',
		/Unknown field or variable "kept"/,
		1,
		43,
	],
	['for without in', '@{ for x tags }@{ end for }', /Expected "in" but found "tags"/, 1, 10],
	['end without a block name', '@{ if yes }@{ end }', /"end" must be followed by "if" or "for"/, 1, 12],
	['an error reports the line of a later line', 'line 1\nline 2\n  ${ missing }', /Unknown field or variable "missing"/, 3, 6],
];

const jsonErrors: ErrorCase[] = [
	[
		'JSON mode: an unquoted string output breaks JSON at the tag',
		'{\n  "a": ${ name }\n}',
		/not valid JSON: expected a JSON value but found "ada lovelace/,
		2,
		8,
	],
	['JSON mode: a trailing comma in the template text', '{"a": 1,}', /not valid JSON: expected a property name in double quotes but found "}"/, 1, 9],
	['JSON mode: text after the document', '{"a": 1} x', /not valid JSON: expected the end of the text/, 1, 10],
	['JSON mode: an unclosed object', '{"a": ${ n }', /not valid JSON: expected "," or "}" but found the end/, 1, 13],
	[
		'JSON mode: an error in the text right after an output points into that text',
		'{"a": ${ n },}',
		/expected a property name in double quotes but found "}"/,
		1,
		14,
	],
	['JSON mode: an error in the text right before an output points into that text', '{"a": x${ n }}', /expected a JSON value but found "x7}"/, 1, 7],
];

describe('template engine: rendering', () => {
	it.each(rendering)('%s', (_name, template, expected) => {
		expect(renderTemplate(template, data)).toBe(expected);
	});
});

describe('template engine: JSON mode', () => {
	it.each(json)('%s', (_name, template, expected) => {
		const rendered = renderTemplate(template, data, { json: true });
		expect(rendered).toBe(expected);
		expect(() => JSON.parse(rendered)).not.toThrow();
	});
});

describe('template engine: errors carry line and column', () => {
	it.each([...errors.map((e) => [...e, false] as const), ...jsonErrors.map((e) => [...e, true] as const)])(
		'%s',
		(_name, template, message, line, column, jsonMode) => {
			let error: unknown;
			try {
				renderTemplate(template, data, { json: jsonMode });
			} catch (caught) {
				error = caught;
			}
			expect(error).toBeInstanceOf(TemplateError);
			expect((error as TemplateError).message).toMatch(message);
			expect([(error as TemplateError).line, (error as TemplateError).column]).toEqual([line, column]);
			expect((error as TemplateError).excerpt.length).toBeGreaterThan(0);
		},
	);
});

describe('template engine: limits', () => {
	it('stops output past the size limit', () => {
		expect(() => renderTemplate('@{ for t in tags }${ name }@{ end for }', data, { limits: { maxOutputLength: 20 } })).toThrow(
			/Output is longer than 20 characters/,
		);
		// The text that crosses the limit is named, whether it comes after an output or before one.
		expect(errorOf('@{ for t in tags }${ t } and more text@{ end for }', data, { maxOutputLength: 10 })).toMatchObject({ line: 1, column: 25 });
		expect(errorOf('@{ for t in tags }text ${ t }@{ end for }', data, { maxOutputLength: 12 })).toMatchObject({ line: 1, column: 19 });
	});

	it('stops loops past the iteration limit', () => {
		const many = { list: Array.from({ length: 50 }, (_, i) => i) };
		expect(() => renderTemplate('@{ for a in list }@{ for b in list }x@{ end for }@{ end for }', many, { limits: { maxIterations: 1000 } })).toThrow(
			/Loops ran more than 1000 times/,
		);
	});

	it('stops block nesting past the depth limit', () => {
		const deep = '@{ if yes }'.repeat(5) + '@{ end if }'.repeat(5);
		expect(() => renderTemplate(deep, data, { limits: { maxDepth: 4 } })).toThrow(/Blocks are nested more than 4 levels deep/);
		expect(renderTemplate(deep, data, { limits: { maxDepth: 5 } })).toBe('');
	});

	/** The TemplateError a render ends in, or a failure when it ends otherwise. */
	function errorOf(template: string, values: object, limits = {}): TemplateError {
		try {
			renderTemplate(template, values, { limits });
		} catch (error) {
			if (error instanceof TemplateError) return error;
			throw error;
		}
		throw new Error('rendered without an error');
	}
	const many = { list: Array.from({ length: 200 }, (_, i) => i), seed: 'abcdefgh' };

	it('stops text doubling with "&" in a loop where it is built, with line and column', () => {
		const error = errorOf('@{ set a = seed }\n@{ for i in list }@{ set a = a & a }@{ end for }${ a }', many);
		expect(error.message).toMatch(/Text joined with "&" would be longer than 1000000 characters/);
		expect([error.line, error.column]).toEqual([2, 32]);
	});

	it('stops a function result that outgrows the limit (ToHexadecimal, ToBase64 in a loop)', () => {
		expect(errorOf('@{ set a = seed }@{ for i in list }@{ set a = ToHexadecimal(a) }@{ end for }', many).message).toMatch(
			/The result of ToHexadecimal would be longer than 1000000 characters/,
		);
		expect(errorOf('@{ set a = seed }@{ for i in list }@{ set a = ToBase64(a & a) }@{ end for }', many, { maxOutputLength: 5000 }).message).toMatch(
			/longer than 5000 characters/,
		);
	});

	it('stops Substring and Truncate from working over large intermediate text: it is never built', () => {
		const error = errorOf('@{ set a = seed }@{ for i in list }@{ set a = a & a }@{ end for }${ Substring(a, 2, 3) }${ Truncate(a, 10) }', many);
		expect(error.message).toMatch(/Text joined with "&" would be longer/);
	});

	it('bounds the text work of a render even when every text is short enough', () => {
		const values = { big: 'x'.repeat(900), list: Array.from({ length: 100 }, (_, i) => i) };
		const error = errorOf('@{ for i in list }@{ if big = big }@{ end if }@{ end for }', values, { maxTextWork: 10_000 });
		expect(error.message).toMatch(/Text operations went through more than 10000 characters/);
		expect(errorOf('@{ for i in list }${ SHA256(big) }@{ end for }', values, { maxTextWork: 10_000 }).message).toMatch(/more than 10000 characters/);
	});

	it('turns an error other than a TemplateError, thrown while rendering, into a TemplateError at its tag', () => {
		const values = {
			get boom(): string {
				throw new RangeError('Invalid string length');
			},
		};
		const error = errorOf('ok\n  ${ boom }', values);
		expect(error.message).toMatch(/Rendering stopped: Invalid string length/);
		expect([error.line, error.column]).toEqual([2, 3]);
	});

	it('stops expression nesting past the depth limit', () => {
		expect(() => renderTemplate(`\${ ${'('.repeat(100)}1${')'.repeat(100)} }`, data)).toThrow(/nested more than 64 levels/);
	});
});

describe('template engine: properties', () => {
	const data = { a: 'text', n: 3, yes: true, nothing: null, list: [1, 2, 3], obj: { x: 'y', inner: [{ z: 1 }] } };

	/** Fragments that make template-like text, so the parser is exercised, not just plain text. */
	const fragment = fc.constantFrom(
		'${',
		'@{',
		'@{*',
		'*}',
		'}',
		'{',
		' ',
		'\n',
		'a',
		'n',
		'list',
		'obj.x',
		'obj.inner',
		'nothing',
		'yes',
		'if ',
		'else ',
		'end if',
		'for ',
		' in ',
		'end for',
		'set ',
		' = ',
		'=',
		'!=',
		'<',
		'>',
		'and ',
		'or ',
		'not ',
		'(',
		')',
		'[',
		']',
		',',
		'|',
		'&',
		'+',
		'-',
		'*',
		'/',
		'.',
		'"',
		"'",
		'\\',
		'1',
		'0',
		'2.5',
		'null',
		'true',
		'ToUpper(',
		'Count(',
		'Substring(',
		'ReplaceIfEmpty(',
		'x',
		'$',
		'@',
	);
	const templateText = fc.oneof(
		fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join('')),
		fc.string({ maxLength: 60 }),
	);
	const limits = { maxIterations: 2000, maxOutputLength: 20_000, maxDepth: 32 };

	it('any input text either renders or throws a TemplateError, never anything else', () => {
		fc.assert(
			fc.property(templateText, fc.boolean(), (template, json) => {
				try {
					const output = renderTemplate(template, data, { json, limits });
					expect(typeof output).toBe('string');
				} catch (error) {
					if (!(error instanceof TemplateError)) throw error;
					expect(error.line).toBeGreaterThanOrEqual(1);
					expect(error.column).toBeGreaterThanOrEqual(1);
				}
			}),
			{ numRuns: 3000 },
		);
	});

	it('degenerate templates (text that doubles, grows through functions, nested loops) over any data end in text or a TemplateError, in bounded time and memory', () => {
		const statement = fc.constantFrom(
			'@{ set a = a & a }',
			'@{ set a = a & b }',
			'@{ set a = ToHexadecimal(a) }',
			'@{ set a = ToBase64(a & a) }',
			'@{ set a = MD5(a) & a }',
			'${ Substring(a, 2, 5) }',
			'${ Truncate(a, 7) }',
			'${ Capitalize(a) }',
			'${ Length(a) }',
			'${ SHA256(a) }',
			'${ a }',
			'@{ if a = b }x@{ end if }',
			'@{ set n = n * 10.5 }',
			'@{ set n = n / 3 }',
			'@{ set n = n + 0.1 }',
			'${ n }',
			'${ ReplaceIfEmpty(b, a) }',
		);
		const block: fc.Memo<string> = fc.memo((depth) =>
			depth <= 1
				? statement
				: fc.oneof(
						statement,
						fc.array(block(depth - 1), { maxLength: 4 }).map((body) => `@{ for i in list }${body.join('')}@{ end for }`),
					),
		);
		const template = fc.array(block(4), { minLength: 1, maxLength: 6 }).map((parts) => `@{ set a = seed }@{ set n = 1.5 }${parts.join('')}`);
		const values = fc.record({
			seed: fc.string({ unit: 'binary', maxLength: 40 }),
			b: fc.string({ maxLength: 2000 }),
			list: fc.array(fc.integer(), { maxLength: 60 }),
		});
		const bounded = { maxIterations: 5000, maxOutputLength: 20_000, maxTextWork: 400_000, maxDepth: 32 };
		const heapBefore = process.memoryUsage().heapUsed;
		fc.assert(
			fc.property(template, values, fc.boolean(), (source, item, json) => {
				const started = performance.now();
				try {
					expect(typeof renderTemplate(source, item, { json, limits: bounded })).toBe('string');
				} catch (error) {
					if (!(error instanceof TemplateError)) throw error;
				}
				// Generous: a render within these limits takes milliseconds; an unbounded one runs for seconds.
				expect(performance.now() - started).toBeLessThan(2000);
			}),
			{ numRuns: 200 },
		);
		expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 1024 * 1024);
	});

	it('rendering is deterministic', () => {
		fc.assert(
			fc.property(templateText, (template) => {
				const once = (() => {
					try {
						return renderTemplate(template, data, { limits });
					} catch (error) {
						return `error: ${(error as Error).message}`;
					}
				})();
				const twice = (() => {
					try {
						return renderTemplate(template, data, { limits });
					} catch (error) {
						return `error: ${(error as Error).message}`;
					}
				})();
				expect(twice).toBe(once);
			}),
			{ numRuns: 1000 },
		);
	});

	it('in JSON mode, any data values make valid JSON for a template that quotes its text outputs', () => {
		const template =
			'{"text": "${ text }", "number": ${ number }, "flag": ${ flag }, "items": [@{ set sep = "" }@{ for s in items }${ sep }"${ s }"@{ set sep = "," }@{ end for }]}';
		fc.assert(
			fc.property(
				fc.record({
					text: fc.string({ unit: 'binary' }),
					number: fc.double({ noNaN: true, noDefaultInfinity: true }),
					flag: fc.boolean(),
					items: fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 5 }),
				}),
				(values) => {
					const parsed = JSON.parse(renderTemplate(template, values, { json: true }));
					expect(parsed.text).toBe(values.text);
					expect(Object.is(parsed.number, values.number) || parsed.number === values.number || (parsed.number === 0 && values.number === 0)).toBe(true);
					expect(parsed.flag).toBe(values.flag);
					expect(parsed.items).toEqual(values.items);
				},
			),
			{ numRuns: 1000 },
		);
	});
});
