import 'reflect-metadata';
import { configOrExit, createHttpApp } from '@jingzhun/platform';
import { RegistryModule } from './app.module';
import { loadRegistryConfig } from './registry.config';

async function main() {
  const config = configOrExit(() => loadRegistryConfig());
  const app = await createHttpApp(RegistryModule.forRoot(config), {
    title: '精准 Jingzhun — registry',
    description: '扶贫对象动态管理: 区划、户、成员、收入核算、帮扶措施、导入与审计',
    port: config.REGISTRY_PORT,
  });
  await app.listen(config.REGISTRY_PORT, config.REGISTRY_HOST);
  process.stdout.write(`registry 已启动: http://127.0.0.1:${config.REGISTRY_PORT} (API 文档 /docs)\n`);
}

void main();
