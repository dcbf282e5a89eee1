import type { UserSummary } from '@mentorhub/contracts';
import { initials } from '@/lib/format';
import { OptimizedImage } from './OptimizedImage';
import { Picture } from './Picture';

/** A person's picture, or their initials when they have none. The name is said next to it, so alt is empty. */
export function Avatar({
  user,
  size,
  preload = false,
}: {
  user: Pick<UserSummary, 'name' | 'avatarUrl'> & { avatar?: UserSummary['avatar'] };
  size: number;
  preload?: boolean;
}) {
  if (user.avatar) {
    return (
      <Picture image={user.avatar} alt="" width={size} height={size} preload={preload} className="avatar" />
    );
  }
  if (user.avatarUrl) {
    return (
      <OptimizedImage
        src={user.avatarUrl}
        alt=""
        width={size}
        height={size}
        preload={preload}
        className="avatar"
      />
    );
  }
  return (
    <span className="avatar avatar-initials" style={{ width: size, height: size }} aria-hidden="true">
      {initials(user.name)}
    </span>
  );
}
