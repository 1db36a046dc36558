/**
 * Reads one segment of a claimed owner and validates its frames: length bound, CRC, recSeq strictly
 * increasing. A frame cut off by the end of the file is a torn tail: the file is truncated there. A
 * bad frame whose length is plausible is skipped when the frame after it validates; otherwise the
 * owner's last segment is truncated at it and any other segment's rest is skipped. Each bad frame
 * counts once. It never throws: an unreadable file is reported as such.
 */
import { fstat, ftruncate } from 'node:fs';
import { promisify } from 'node:util';
import { decodeHeader, FRAME_HEAD_BYTES, HEADER_BYTES, readFrame, type Frame, type SegmentHeader } from './format.js';
import { closeFd, errorCode, openFd, readAt } from './io.js';

const ftruncateAsync = promisify(ftruncate);
const fstatAsync = promisify(fstat);
const WINDOW_BYTES = 1024 * 1024;

/** What the scan of a segment found. */
export type ScanResult =
  | { readonly kind: 'ok'; readonly header: SegmentHeader; readonly bytes: number; readonly corrupt: number; readonly truncated: boolean }
  | { readonly kind: 'short' }
  | { readonly kind: 'garbage' | 'unknownVersion' | 'unreadable'; readonly detail: string };

/**
 * Scans the segment at `path`, calling `onFrame` with each valid frame and its offset, in order.
 * `isLast`: it is its owner's newest segment (where a bad frame ends the data). `expect`: the owner
 * id and seq its header must carry.
 */
export async function scanSegment(
  path: string,
  expect: { readonly ownerId: string; readonly seq: number },
  maxFrameBytes: number,
  isLast: boolean,
  onFrame: (frame: Frame, offset: number) => void,
): Promise<ScanResult> {
  let fd: number;
  let writable = true;
  try {
    fd = await openFd(path, 'r+').catch(() => {
      writable = false;
      return openFd(path, 'r');
    });
  } catch (error) {
    return { kind: 'unreadable', detail: errorCode(error) };
  }
  try {
    return await scanOpen(fd, writable, expect, maxFrameBytes, isLast, onFrame);
  } catch (error) {
    return { kind: 'unreadable', detail: errorCode(error) };
  } finally {
    await closeFd(fd).catch(() => undefined);
  }
}

async function scanOpen(
  fd: number,
  writable: boolean,
  expect: { readonly ownerId: string; readonly seq: number },
  maxFrameBytes: number,
  isLast: boolean,
  onFrame: (frame: Frame, offset: number) => void,
): Promise<ScanResult> {
  const size = (await fstatAsync(fd)).size;
  let window = await readAt(fd, Math.min(size, WINDOW_BYTES), 0);
  let windowAt = 0;
  const header = decodeHeader(window);
  if (header === 'short') return { kind: 'short' };
  if (header === 'garbage') return { kind: 'garbage', detail: 'not a segment header' };
  if ('unknownVersion' in header) return { kind: 'unknownVersion', detail: `format version ${header.unknownVersion}` };
  if (header.ownerId !== expect.ownerId || header.seq !== expect.seq) return { kind: 'garbage', detail: 'the header of another owner or segment' };

  /** The frame at `at`, read through a 1 MiB window (wider for a frame that needs it). */
  const frameAt = async (at: number, afterSeq: number): Promise<Frame | { incomplete: number } | { bad: number | undefined }> => {
    let need = FRAME_HEAD_BYTES;
    for (;;) {
      const want = Math.min(need, size - at);
      if (at < windowAt || at + want > windowAt + window.length) {
        window = await readAt(fd, Math.min(Math.max(want, WINDOW_BYTES), size - at), at);
        windowAt = at;
      }
      const frame = readFrame(window, at - windowAt, maxFrameBytes);
      if ('incomplete' in frame && frame.incomplete > need && at + need < size) {
        need = frame.incomplete;
        continue;
      }
      if ('seq' in frame && frame.seq <= afterSeq) return { bad: frame.frameBytes };
      return frame;
    }
  };

  let at = HEADER_BYTES;
  let lastSeq = 0;
  let corrupt = 0;
  let cutAt: number | undefined;
  while (at < size) {
    const frame = await frameAt(at, lastSeq);
    if ('seq' in frame) {
      onFrame(frame, at);
      lastSeq = frame.seq;
      at += frame.frameBytes;
      continue;
    }
    corrupt++;
    if ('incomplete' in frame) {
      cutAt = at; // torn: the file ends inside this frame
      break;
    }
    if (frame.bad !== undefined && at + frame.bad < size && 'seq' in (await frameAt(at + frame.bad, lastSeq))) {
      at += frame.bad;
      continue;
    }
    if (isLast) cutAt = at;
    break;
  }
  if (cutAt !== undefined && writable) {
    await ftruncateAsync(fd, cutAt);
    return { kind: 'ok', header, bytes: cutAt, corrupt, truncated: true };
  }
  return { kind: 'ok', header, bytes: size, corrupt, truncated: false };
}
