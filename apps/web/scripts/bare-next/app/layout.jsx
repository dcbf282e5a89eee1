export const metadata = {
  title: 'Bare Next.js page',
  description: 'The framework alone: what every page of the web app costs before any code of its own.',
  // No favicon to fetch: a 404 for it would be a console error, which Lighthouse counts against best practices.
  icons: { icon: 'data:,' },
};

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
