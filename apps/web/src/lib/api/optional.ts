import { isApiError } from '@mentorhub/api-client';

/**
 * A part of a page whose API route may be missing or failing: null (the part shows a note) instead of taking the
 * page down. Anything but an API error is still thrown.
 */
export async function optional<T>(load: Promise<T>): Promise<T | null> {
  try {
    return await load;
  } catch (error) {
    if (isApiError(error)) return null;
    throw error;
  }
}
