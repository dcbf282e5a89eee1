/** Any change to which courses are listed, or in what order, touches every list page. */
export const COURSE_LISTS_TAG = 'courses:lists';
export const courseTag = (courseId: number): string => `course:${courseId}`;
