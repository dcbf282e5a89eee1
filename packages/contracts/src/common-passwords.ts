/**
 * Passwords refused outright because they top every breach list (NIST SP 800-63B: check against known-bad
 * values instead of imposing composition rules). Compared case-insensitively.
 */
// prettier-ignore
export const commonPasswords = new Set([
  '12345678', '123456789', '1234567890', '12345678910', '87654321', '11111111', '00000000', '88888888',
  '11223344', '12121212', '12341234', '123123123', '1q2w3e4r', '1qaz2wsx', 'qwertyui', 'qwertyuiop',
  'qwerty123', 'qwerty12', 'asdfghjk', 'asdfasdf', 'zxcvbnm1', 'password', 'password1', 'password12',
  'password123', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'iloveyou', 'sunshine', 'princess', 'football',
  'baseball', 'basketball', 'superman', 'batman123', 'starwars', 'whatever', 'trustno1', 'letmein1',
  'letmein123', 'welcome1', 'welcome123', 'admin123', 'administrator', 'changeme', 'abc12345',
  'abcd1234', 'a1b2c3d4', 'aa123456', 'monkey123', 'dragon123', 'master123', 'shadow123', 'michael1',
  'jennifer', 'computer', 'internet', 'mentorhub', 'mentorhub1', 'mentorhub123', 'secret123',
  'qazwsxedc', 'zaq12wsx', '1q2w3e4r5t', 'q1w2e3r4', 'q1w2e3r4t5', 'test1234', 'testtest', 'lovelove',
  'hello123', 'hellohello', 'freedom1', 'whatever1', 'charlie1', 'google123', 'samsung1', 'liverpool',
  'chelsea1', 'arsenal1', 'pokemon1', 'minecraft', 'fortnite', 'blink182', 'qwerty1234', 'zxcvbnm123',
]);
