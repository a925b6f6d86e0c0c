export {
  createDirectoryStorage,
  type DirectoryStorageOptions,
  encodeFileName,
  writeFileAtomic,
} from './directory.js';
export { createMemoryStorage, type MemoryStorage } from './memory.js';
