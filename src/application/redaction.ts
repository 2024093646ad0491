// scheme://user:password@ → scheme://user:[redacted]@ (driver errors often quote their URL).
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s/@]+@/gi;

/**
 * The text with the password of every URL's userinfo replaced by `[redacted]`: connection URLs
 * in messages, log lines and startup reports. The one home of this rule for every adapter.
 */
export const redactUrlPasswords = (text: string): string => text.replace(URL_PASSWORD, '$1[redacted]@');
