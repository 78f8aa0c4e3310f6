/**
 * Ids the client gives the messages it sends, so that the server recognizes a retry of a send
 * whose acknowledgement was lost. Random, not crypto.randomUUID: that exists only on secure
 * origins, and the demo is also served over plain HTTP on a local network.
 */
const ID_BYTES = 16;

/** 22 characters of base64url: 128 random bits, within the server's clientId pattern. */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(ID_BYTES));
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
