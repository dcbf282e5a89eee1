import { isApiError } from '@mentorhub/api-client';
import type { Enrollment } from '@mentorhub/contracts';
import { api } from '@/lib/api/server';

/** The signed-in user's enrollment in one course, or null (also when the enrollments route is unavailable). */
export async function enrollmentIn(courseId: number): Promise<Enrollment | null> {
  try {
    const page = await (await api()).learning.enrollments({ limit: 100 });
    return page.items.find((enrollment) => enrollment.course.id === courseId) ?? null;
  } catch (error) {
    if (isApiError(error)) return null;
    throw error;
  }
}
