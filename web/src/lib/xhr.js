// File transfers go through XMLHttpRequest rather than fetch: only XHR reports upload progress
// (xhr.upload.onprogress) in every browser. Errors come back as api.js's ApiError with the server's
// own message in either error shape, so the files tab shows the same text as every other page.
import { ApiError, errorMessage, notifyUnauthorized, url } from './api.js';
import { progressOf } from './sandbox-model.js';

/**
 * send({ method, path, query, body, responseType, onUploadProgress, onDownloadProgress, signal })
 * → the response (text, or a Blob for responseType 'blob'). Progress callbacks get progressOf(...).
 * An aborted transfer rejects with an ApiError whose `aborted` is true.
 */
export function send({ method = 'GET', path, query, body = null, responseType = 'text', onUploadProgress, onDownloadProgress, signal }) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url(path, query));
    xhr.responseType = responseType;
    if (onUploadProgress) xhr.upload.onprogress = (e) => onUploadProgress(progressOf(e.loaded, e.total, e.lengthComputable));
    if (onDownloadProgress) xhr.onprogress = (e) => onDownloadProgress(progressOf(e.loaded, e.total, e.lengthComputable));
    xhr.onload = async () => {
      if (xhr.status >= 200 && xhr.status < 300) { resolve(xhr.response); return; }
      // With responseType 'blob' the error body is a Blob too; responseText would throw.
      let text = '';
      try { text = responseType === 'blob' ? await xhr.response.text() : String(xhr.response ?? ''); } catch { /* no body */ }
      const { message, code } = errorMessage(xhr.status, text);
      if (xhr.status === 401) notifyUnauthorized();
      reject(new ApiError(xhr.status, message, code));
    };
    xhr.onerror = () => reject(new ApiError(0, 'The API cannot be reached (network error)'));
    xhr.onabort = () => { const e = new ApiError(0, 'cancelled'); e.aborted = true; reject(e); };
    if (signal) {
      if (signal.aborted) { xhr.abort(); return; }
      signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(body);
  });
}

/** POST /sandboxes/{id}/files as multipart: `path` is the full destination path, `file` the bytes. */
export async function uploadFile(id, path, file, { onProgress, signal } = {}) {
  const form = new FormData();
  form.append('path', path);
  form.append('file', file, file.name);
  const text = await send({ method: 'POST', path: `/sandboxes/${encodeURIComponent(id)}/files`, body: form, onUploadProgress: onProgress, signal });
  try { return JSON.parse(text); } catch { return { message: text }; }
}

/** GET /sandboxes/{id}/files?path= → Blob (raw bytes; the server sends no Content-Disposition). */
export function downloadFile(id, path, { onProgress, signal } = {}) {
  return send({ path: `/sandboxes/${encodeURIComponent(id)}/files`, query: { path }, responseType: 'blob', onDownloadProgress: onProgress, signal });
}

/** Hands a Blob to the browser as a download named `name` (object URL + <a download>). */
export function saveBlob(blob, name) {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty to start it.
  setTimeout(() => URL.revokeObjectURL(href), 60000);
}
