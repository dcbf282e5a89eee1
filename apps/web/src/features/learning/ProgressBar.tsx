import type { Enrollment } from '@mentorhub/contracts';

type Progress = Enrollment['progress'];

export function ProgressBar({ progress, label }: { progress: Progress; label: string }) {
  return (
    <div className="progress">
      <progress max={100} value={progress.percent} aria-label={label} />
      <span>
        {progress.completedLessons} of {progress.totalLessons} lessons · {progress.percent}%
      </span>
    </div>
  );
}
