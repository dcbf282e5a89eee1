import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The packages are TypeScript sources shared with the API; Next compiles them.
  transpilePackages: ['@mentorhub/contracts', '@mentorhub/api-client'],
  experimental: {
    // One small stylesheet: inlined, so the first paint waits for no second request.
    inlineCss: true,
    // Avatar uploads pass through a server action on their way to the API (which accepts up to 5 MiB).
    serverActions: { bodySizeLimit: '6mb' },
  },
  images: {
    formats: ['image/avif', 'image/webp'],
    deviceSizes: [360, 640, 828, 1080, 1200, 1920],
    imageSizes: [32, 48, 64, 96, 128, 256],
    minimumCacheTTL: 31_536_000,
  },
  async headers() {
    // /_next/static is hashed and already immutable; these are the unhashed public files.
    return [
      {
        source: '/:file(icon.svg|robots.txt)',
        headers: [{ key: 'cache-control', value: 'public, max-age=86400, stale-while-revalidate=604800' }],
      },
      {
        source: '/:path*',
        headers: [
          { key: 'x-content-type-options', value: 'nosniff' },
          { key: 'referrer-policy', value: 'strict-origin-when-cross-origin' },
          { key: 'x-frame-options', value: 'DENY' },
        ],
      },
    ];
  },
};

export default nextConfig;
