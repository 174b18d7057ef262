import type { EventWrite, IntakeStore } from './intake.store';

/** Events gathered per statement at most. */
const BATCH = 256;

type Waiting = { write: EventWrite; resolve: (r: 'handled' | 'duplicate') => void; reject: (err: unknown) => void };

/**
 * Gathers the event writes that arrive in one turn of the event loop (the consumer hands over up to
 * its concurrency at once) and writes them in one statement. If that statement fails, each write is
 * tried on its own, so one bad event fails alone and the others go through.
 */
export class WriteBatcher {
  private queue: Waiting[] = [];
  private scheduled = false;

  constructor(private readonly store: IntakeStore) {}

  add(write: EventWrite): Promise<'handled' | 'duplicate'> {
    return new Promise((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      if (this.queue.length >= BATCH) void this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          void this.flush();
        });
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, BATCH);
    if (batch.length === 0) return;
    try {
      const fresh = await this.store.writeMany(batch.map((w) => w.write));
      for (const w of batch) w.resolve(fresh.has(w.write.eventId) ? 'handled' : 'duplicate');
    } catch {
      for (const w of batch)
        this.store.writeOne(w.write).then((isNew) => w.resolve(isNew ? 'handled' : 'duplicate'), w.reject);
    }
  }
}
