import type { Metadata } from 'next';
import { Avatar } from '@/components/image/Avatar';
import { ActionForm } from '@/components/ui/ActionForm';
import { requestEmailChange } from '@/features/auth/actions';
import { CalendarFeed } from '@/features/calendar/CalendarFeed';
import { updateNotificationPreferences, updateProfile, uploadAvatar } from '@/features/settings/actions';
import { notificationFields } from '@/features/settings/notification-fields';
import { api } from '@/lib/api/server';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Settings', robots: { index: false } };

const timezones = ['UTC', ...Intl.supportedValuesOf('timeZone')];

export default async function SettingsPage() {
  const user = await requireUser('/settings');
  const client = await api();
  const [profile, feed, preferences] = await Promise.all([
    client.users.get(user.id),
    client.calendar.feed(),
    client.notifications.preferences(),
  ]);
  return (
    <>
      <h1>Settings</h1>
      <div className="studio">
        <section aria-labelledby="profile-heading">
          <h2 id="profile-heading">Profile</h2>
          <ActionForm
            action={updateProfile}
            submitLabel="Save profile"
            fields={[
              {
                name: 'name',
                label: 'Name',
                required: true,
                defaultValue: profile.name,
                autoComplete: 'name',
                maxLength: 120,
              },
              {
                name: 'bio',
                label: 'About you',
                type: 'textarea',
                defaultValue: profile.bio,
                maxLength: 4000,
              },
              {
                name: 'timezone',
                label: 'Timezone',
                type: 'select',
                defaultValue: profile.timezone,
                hint: 'Session times are shown in this timezone.',
                options: timezones.map((zone) => ({ value: zone, label: zone.replaceAll('_', ' ') })),
              },
            ]}
          />
        </section>
        <section aria-labelledby="email-heading">
          <h2 id="email-heading">Email address</h2>
          <p>
            You sign in with <strong>{user.email}</strong>. A new address takes effect once you open the link
            we mail to it.
          </p>
          <ActionForm
            action={requestEmailChange}
            submitLabel="Change email"
            fields={[
              { name: 'newEmail', label: 'New email', type: 'email', required: true, autoComplete: 'email' },
              {
                name: 'currentPassword',
                label: 'Current password',
                type: 'password',
                required: true,
                autoComplete: 'current-password',
              },
            ]}
          />
        </section>
        <section aria-labelledby="avatar-heading">
          <h2 id="avatar-heading">Picture</h2>
          <p>
            <Avatar user={profile} size={96} />
          </p>
          <ActionForm
            action={uploadAvatar}
            submitLabel="Upload picture"
            fields={[
              {
                name: 'avatar',
                label: 'New picture',
                type: 'file',
                accept: 'image/png,image/jpeg,image/webp,image/avif',
                hint: 'PNG, JPEG, WebP or AVIF, up to 5 MB. It is cropped to a square.',
              },
            ]}
          />
        </section>
        <section aria-labelledby="notifications-heading" id="notifications">
          <h2 id="notifications-heading">Notifications</h2>
          <p>
            Choose what reaches you in the app and by email, and when session reminders come. Security and
            account mail is always sent.
          </p>
          <ActionForm
            action={updateNotificationPreferences}
            submitLabel="Save notification settings"
            fields={notificationFields(preferences)}
          />
        </section>
        <section aria-labelledby="calendar-heading">
          <h2 id="calendar-heading">Calendar feed</h2>
          <CalendarFeed exists={feed.exists} />
        </section>
      </div>
    </>
  );
}
