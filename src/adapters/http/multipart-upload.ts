import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import type { ReceivedFile, UploadSource } from '../../application/index.js';
import { err, ok, validationFailed, type DomainError, type Result } from '../../domain/index.js';
import { ProblemError } from './problem.js';

/** Where the file goes while it is received, and what the envelope may hold. */
export interface MultipartLimits {
  /** A directory for the spooled file (the system's temporary directory by default). */
  readonly tmpDir: string;
  /** Parts of any kind, the file included; more is a 400 (a flood of tiny parts ends here). */
  readonly maxParts: number;
  /** Bytes the whole body may have beyond the file's limit (413 past it, counted while reading). */
  readonly envelopeBytes: number;
}

// Sniffing needs 512 bytes at most (see sniffImageFormat); a little more costs nothing.
const HEAD_BYTES = 4096;
const FIELD_NAME = 'file';

const invalid = (message: string, detail = 'The request has invalid fields.'): DomainError => ({
  ...validationFailed([{ path: FIELD_NAME, message }]),
  message: detail,
});

/**
 * The `file` part of a multipart/form-data request, streamed to a temporary file while it is
 * hashed and counted: memory holds one chunk and the first bytes, whatever the file's size. The
 * body is read only when the use case asks (after it found the product), and no further than
 * needed: past the size limit, or past `maxParts` parts, reading stops. `dispose()` removes the
 * temporary file; call it once the request is answered.
 */
export function multipartUpload(request: Request, limits: MultipartLimits): UploadSource & { dispose(): Promise<void> } {
  const path = join(limits.tmpDir, `upload-${randomUUID()}`);
  let spooled = false;
  return {
    receive: async (maxBytes) => {
      spooled = true;
      return receive(request, path, maxBytes, limits);
    },
    dispose: async () => {
      if (spooled) await rm(path, { force: true });
    },
  };
}

function receive(request: Request, path: string, maxBytes: number, limits: MultipartLimits): Promise<Result<ReceivedFile, DomainError>> {
  const { maxParts } = limits;
  return new Promise((resolve, reject) => {
    const input = request.body ? Readable.fromWeb(request.body as WebReadableStream<Uint8Array>) : Readable.from([]);
    const maxBody = maxBytes + limits.envelopeBytes;
    let read = 0;
    input.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (read > maxBody && !settled) {
        settled = true;
        input.unpipe(parser);
        input.destroy();
        reject(new ProblemError('request.too_large', `The request body is over ${maxBody} bytes.`));
      }
    });
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': request.headers.get('content-type') ?? '' },
        // One byte over the limit tells "too large" apart from "exactly the limit".
        limits: { files: 1, parts: maxParts, fields: maxParts, fileSize: maxBytes + 1, fieldSize: 1024, headerPairs: 20 },
      });
    } catch {
      resolve(err(invalid('is required', 'The multipart body could not be read.')));
      return;
    }
    let settled = false;
    let file: Promise<Result<ReceivedFile, DomainError>> | undefined;
    const finish = (result: Result<ReceivedFile, DomainError> | Promise<Result<ReceivedFile, DomainError>>) => {
      if (settled) return;
      settled = true;
      // Stop reading: what is left of the body is never needed.
      input.unpipe(parser);
      input.destroy();
      resolve(result);
    };
    const refuse = (message: string, detail?: string) => finish(err(invalid(message, detail)));
    parser.on('file', (name, stream) => {
      if (name !== FIELD_NAME || file) {
        stream.resume();
        return;
      }
      file = spool(stream, path, maxBytes);
      // A file over the limit: no need to read the rest of the body.
      void file.then((result) => {
        if (!result.ok || result.value.size > maxBytes) finish(result);
      });
    });
    parser.on('partsLimit', () => refuse(`must be the only part, with at most ${maxParts} parts in all`, 'The multipart body has too many parts.'));
    parser.on('filesLimit', () => refuse('must be sent once', 'The multipart body has more than one file.'));
    parser.on('fieldsLimit', () => refuse(`must be the only part, with at most ${maxParts} parts in all`, 'The multipart body has too many parts.'));
    parser.on('error', () => refuse('is required', 'The multipart body could not be read.'));
    parser.on('close', () => finish(file ?? err(invalid('must be a file'))));
    input.on('error', () => refuse('is required', 'The multipart body could not be read.'));
    input.pipe(parser);
  });
}

/** Writes the part to `path`, hashing and counting it; the size stops at `maxBytes + 1`. */
function spool(stream: Readable, path: string, maxBytes: number): Promise<Result<ReceivedFile, DomainError>> {
  return new Promise((resolve) => {
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let headBytes = 0;
    let size = 0;
    const out = createWriteStream(path, { flags: 'wx' });
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      hash.update(chunk);
      if (headBytes < HEAD_BYTES) {
        head.push(chunk.subarray(0, HEAD_BYTES - headBytes));
        headBytes += Math.min(chunk.length, HEAD_BYTES - headBytes);
      }
    });
    stream.on('limit', () => {
      // busboy discards the rest of this part; the caller stops reading the body.
      size = maxBytes + 1;
      stream.unpipe(out);
      stream.resume();
      out.destroy();
    });
    stream.pipe(out);
    const done = () => {
      const sha256 = hash.digest('hex');
      const body = { size, sha256, open: () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array> };
      resolve(ok({ size, head: new Uint8Array(Buffer.concat(head)), body }));
    };
    out.on('finish', done);
    out.on('close', () => {
      if (size > maxBytes) resolve(ok({ size, head: new Uint8Array(Buffer.concat(head)), body: { size, sha256: '', open: () => new ReadableStream() } }));
    });
    out.on('error', () => resolve(err(invalid('is required', 'The upload could not be stored for processing.'))));
  });
}
