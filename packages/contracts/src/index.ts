export * from './auth';
export * from './common';
export * from './courses';
export * from './errors';
export * from './mentors';
export * from './text';
export * from './users';
