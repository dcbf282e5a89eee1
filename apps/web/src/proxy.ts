import { NextResponse, type NextRequest } from 'next/server';
import { apiBaseUrl } from './lib/api/config';

/**
 * One origin for the browser: `/api/*` is passed to the API as is (cookies, bodies, uploads). In production a
 * load balancer routes `/api/*` before it reaches Next, and this never runs.
 */
export function proxy(request: NextRequest) {
  const target = new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`, apiBaseUrl());
  return NextResponse.rewrite(target);
}

export const config = { matcher: '/api/:path*' };
