/**
 * A minimal XMLHttpRequest over Node's fetch, for running the `dicomweb-client` package (written for
 * browsers) against a real listening server in tests. Implements what dicomweb-client uses: open,
 * setRequestHeader, responseType ('', 'json', 'arraybuffer'), send, readyState/status,
 * onreadystatechange, getResponseHeader, getAllResponseHeaders, response.
 */
export class FetchXMLHttpRequest {
  readyState = 0;
  status = 0;
  responseType: '' | 'json' | 'arraybuffer' | 'text' = '';
  response: unknown = null;
  withCredentials = false;
  onreadystatechange: (() => void) | null = null;
  onloadstart: (() => void) | null = null;
  onloadend: (() => void) | null = null;
  onprogress: ((event: unknown) => void) | null = null;
  private method = 'GET';
  private url = '';
  private readonly headers: Record<string, string> = {};
  private responseHeaders = new Headers();

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
    this.readyState = 1;
  }

  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }

  getResponseHeader(name: string): string | null {
    return this.responseHeaders.get(name);
  }

  getAllResponseHeaders(): string {
    return [...this.responseHeaders.entries()].map(([k, v]) => `${k}: ${v}`).join('\r\n');
  }

  send(body?: ArrayBuffer | ArrayBufferView | string | null): void {
    this.onloadstart?.();
    const payload = body === undefined || body === null ? undefined : typeof body === 'string' ? body : body instanceof ArrayBuffer ? new Uint8Array(body) : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    void fetch(this.url, { method: this.method, headers: this.headers, ...(payload !== undefined ? { body: payload } : {}) })
      .then(async (response) => {
        this.status = response.status;
        this.responseHeaders = response.headers;
        const bytes = await response.arrayBuffer();
        if (this.responseType === 'arraybuffer') this.response = bytes;
        else if (this.responseType === 'json') this.response = bytes.byteLength === 0 ? null : JSON.parse(new TextDecoder().decode(bytes));
        else this.response = new TextDecoder().decode(bytes);
      })
      .catch(() => {
        this.status = 0;
      })
      .finally(() => {
        this.readyState = 4;
        this.onreadystatechange?.();
        this.onloadend?.();
      });
  }
}
