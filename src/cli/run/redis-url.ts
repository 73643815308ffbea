// A Redis URL as pkt's commands take it (--redis, PKT_REDIS) and print it.

/** The line that says what is wrong with `url`, or undefined when it is one. */
export function badRedisUrl(url: string): string | undefined {
  if (/^rediss?:\/\/[^\s]+$/.test(url)) return undefined;
  return `--redis wants a URL such as redis://127.0.0.1:6379, not ${JSON.stringify(url)}`;
}

/** The URL without its password, for what pkt prints. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}
