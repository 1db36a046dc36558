/** The rxtel version, sent as `sdk_version` and in the user agent. A test keeps it equal to package.json. */
export const VERSION = '0.1.0';
