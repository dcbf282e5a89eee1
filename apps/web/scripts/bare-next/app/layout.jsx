export const metadata = {
  title: 'Bare Next.js page',
  description: 'The framework alone: what every page of the web app costs before any code of its own.',
};

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
