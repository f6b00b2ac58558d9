/** The seL4 console view (libsel4 lines against the built system). */
export { ConsoleView } from './ConsoleView';
