import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { BaseConfig } from '../config/config.schema';
import { CONFIG } from '../tokens';

/** Lazily connected Temporal client: a service starts even if Temporal is not up yet. */
@Injectable()
export class TemporalClientService implements OnApplicationShutdown {
  private connection: Promise<Connection> | null = null;

  constructor(@Inject(CONFIG) private readonly config: BaseConfig) {}

  async client(): Promise<Client> {
    const connection = await this.connect();
    return new Client({ connection, namespace: this.config.TEMPORAL_NAMESPACE });
  }

  async connect(): Promise<Connection> {
    if (!this.connection) {
      this.connection = Connection.connect({ address: this.config.TEMPORAL_ADDRESS, connectTimeout: 2000 });
      this.connection.catch(() => (this.connection = null));
    }
    return this.connection;
  }

  async ping(timeoutMs = 1500): Promise<boolean> {
    try {
      const connection = await this.connect();
      await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
      return true;
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const c = this.connection;
    this.connection = null;
    if (c) await (await c.catch(() => null))?.close();
  }
}
