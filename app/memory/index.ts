/** The memory views (physical map, address spaces, allocation, tracker figures). */
export { MemoryView } from './MemoryView';
