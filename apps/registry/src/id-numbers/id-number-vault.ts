import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHmac, randomFillSync } from 'node:crypto';
import { maskIdNumber, normalizeIdNumber } from '@jingzhun/domain';
import { CONFIG, type BaseConfig } from '@jingzhun/platform';

export interface SealedIdNumber {
  hash: string;
  cipher: string;
  masked: string;
}

/**
 * The ID number is stored once, encrypted (AES-256-GCM), and found by a keyed hash (HMAC-SHA256),
 * so neither a database dump nor a log reveals it, and equality look-ups stay fast.
 */
@Injectable()
export class IdNumberVault {
  private readonly hashKey: Buffer;
  private readonly encKey: Buffer;

  constructor(@Inject(CONFIG) config: BaseConfig) {
    this.hashKey = Buffer.from(config.ID_HASH_KEY, 'hex');
    this.encKey = Buffer.from(config.ID_ENCRYPTION_KEY, 'hex');
  }

  hash(idNumber: string): string {
    return createHmac('sha256', this.hashKey).update(normalizeIdNumber(idNumber)).digest('hex');
  }

  seal(idNumber: string): SealedIdNumber {
    const id = normalizeIdNumber(idNumber);
    const iv = this.nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(id, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    return { hash: this.hash(id), cipher: sealed, masked: maskIdNumber(id) };
  }

  /** IVs are cut from a pooled random buffer: one getrandom call per 4 KB instead of per record. */
  private ivPool = Buffer.alloc(0);
  private ivOffset = 0;
  private nextIv(): Buffer {
    if (this.ivOffset + 12 > this.ivPool.length) {
      this.ivPool = randomFillSync(Buffer.alloc(12 * 342));
      this.ivOffset = 0;
    }
    const iv = this.ivPool.subarray(this.ivOffset, this.ivOffset + 12);
    this.ivOffset += 12;
    return iv;
  }

  open(sealed: string): string {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
