/** An error in the user's words: the API's Chinese message as it is; the browser's own (network, a lost chunk) translated. */
export function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (
    /Failed to fetch dynamically imported module|Importing a module script failed|error loading dynamically imported module/i.test(
      message,
    )
  )
    return '网络中断, 页面未能加载完整。请检查网络后重新加载页面';
  if (/^(Failed to fetch|NetworkError|Load failed|network error)/i.test(message))
    return '网络连接失败, 请检查网络后重试';
  return message;
}
