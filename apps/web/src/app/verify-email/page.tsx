import type { Metadata } from 'next';
import { verifyEmail } from '@/features/auth/actions';
import { PasswordFromLinkPage } from '@/features/auth/PasswordFromLinkPage';

const title = 'Choose your password';

export const metadata: Metadata = { title, robots: { index: false } };

export default async function VerifyEmailPage({ searchParams }: PageProps<'/verify-email'>) {
  return (
    <PasswordFromLinkPage
      title={title}
      intro="Your email address is confirmed once you choose a password; you are then signed in."
      token={(await searchParams).token}
      action={verifyEmail}
      passwordLabel="Password"
      submitLabel="Save password and sign in"
    />
  );
}
