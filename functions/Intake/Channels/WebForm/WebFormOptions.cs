using System.ComponentModel.DataAnnotations;

namespace Intake.Channels.WebForm;

/// <summary>
/// The <c>WebForm</c> section: how many submissions one client address may make per window. Behind a proxy or load
/// balancer, enable forwarded headers (<c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>) or every client shares the proxy's address.
/// </summary>
public sealed class WebFormOptions
{
    public const string Section = "WebForm";

    [Range(1, 10_000)]
    public int SubmissionsPerWindow { get; set; } = 20;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>Fixed windows per client address, on the injected clock. Bounded: old windows are dropped as it grows.</summary>
public sealed class SubmissionRateLimiter(Microsoft.Extensions.Options.IOptions<WebFormOptions> options, TimeProvider time)
{
    private const int PruneAbove = 10_000;
    private readonly Dictionary<string, (DateTimeOffset Start, int Count)> _windows = new(StringComparer.Ordinal);

    public bool TryAcquire(string key, out TimeSpan retryAfter)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        lock (_windows)
        {
            if (_windows.Count > PruneAbove)
            {
                foreach (var stale in _windows.Where(w => now - w.Value.Start >= settings.Window).Select(w => w.Key).ToList())
                {
                    _windows.Remove(stale);
                }
            }

            var window = _windows.TryGetValue(key, out var current) && now - current.Start < settings.Window ? current : (Start: now, Count: 0);
            if (window.Count >= settings.SubmissionsPerWindow)
            {
                retryAfter = window.Start + settings.Window - now;
                return false;
            }

            _windows[key] = (window.Start, window.Count + 1);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }
}
