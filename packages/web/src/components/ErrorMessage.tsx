import { describeError } from '../api/client.ts';

export function ErrorMessage({ error, onRetry }: { readonly error: unknown; readonly onRetry?: () => void }) {
  if (error === undefined || error === null) return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="error-message">
      {describeError(error)}
      {onRetry !== undefined && (
        <button type="button" className="link" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
