import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { CONFIG, type RegistryConfig } from '@jingzhun/platform';
import { diskStorage } from 'multer';

/** The upload directory (created when missing). */
function importTmpDir(config: RegistryConfig): string {
  const dir = config.IMPORT_TMP_DIR ?? join(tmpdir(), 'jingzhun-uploads');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Uploads are streamed to disk (never held whole in memory), capped in size. Every module with an
 * upload route imports this: a FileInterceptor without these options would buffer the file in memory.
 */
@Module({
  imports: [
    MulterModule.registerAsync({
      inject: [CONFIG],
      useFactory: (config: RegistryConfig) => ({
        storage: diskStorage({ destination: importTmpDir(config) }),
        limits: { fileSize: config.IMPORT_MAX_UPLOAD_MB * 1024 * 1024, files: 1, fields: 10 },
      }),
    }),
  ],
  exports: [MulterModule],
})
export class UploadsModule {}
