/**
 * The payloads of this process's records that are not on disk yet: appended and waiting for the
 * next group write, or in the group being written. `append` only adds here; the writer takes
 * groups from the front. Own records are numbered densely (ordinal = recSeq - 1), so a payload is
 * found by its ordinal without a map.
 */
/** The payloads waiting for (or in) a group write, by ordinal. */
export class PendingPayloads {
  /** Records below this ordinal were taken by a group write (written, in flight) or released. */
  assignedEnd = 0;
  /** Bytes (whole frames) appended and not yet written, the group in flight included. */
  bytes = 0;
  /** Records appended and not yet written, the group in flight included. */
  count = 0;
  private readonly payloads: (string | undefined)[] = [];
  private head = 0;
  /** The ordinal of `payloads[head]`. */
  private first = 0;

  /** Adds the payload of the record with the next ordinal (`undefined`: it is released already, nothing to write). */
  push(payload: string | undefined, frameBytes: number): void {
    this.payloads.push(payload);
    if (payload === undefined) return;
    this.bytes += frameBytes;
    this.count++;
  }

  /** The payload of `ordinal`, while it is held. */
  payload(ordinal: number): string | undefined {
    return ordinal < this.first ? undefined : this.payloads[this.head + ordinal - this.first];
  }

  /** Whether `ordinal` is waiting for a group (not taken by one yet). */
  waiting(ordinal: number): boolean {
    return ordinal >= this.assignedEnd;
  }

  /** Forgets the payloads below `ordinal` (written, or no longer needed). */
  forgetBelow(ordinal: number): void {
    while (this.first < ordinal && this.head < this.payloads.length) {
      this.payloads[this.head++] = undefined;
      this.first++;
    }
    if (this.head > 1024 && this.head * 2 > this.payloads.length) {
      this.payloads.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Keeps only the payloads `keep` says are still needed (after a fall-back, the disk-only ones). */
  forgetUnless(keep: (ordinal: number) => boolean): void {
    for (let i = this.head; i < this.payloads.length; i++) if (!keep(this.first + i - this.head)) this.payloads[i] = undefined;
  }
}
