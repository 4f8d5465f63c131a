using Intake.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Desk;

/// <summary>How a sign-in went: the session's token and agent, or why not (a wrong name or key, a locked name).</summary>
public sealed record SignInOutcome(string? Token, string? Agent, DateTimeOffset? LockedUntil);

/// <summary>
/// Who is at the desk: the session named by the <see cref="SessionCookie"/> (HttpOnly, <c>SameSite=Strict</c>, Secure
/// outside Development, path <c>/desk</c>), started by a sign-in with an agent's name and key from
/// <c>Intake:ApiKeys</c>. Every form of a session carries its form token and a post is refused without it
/// (<see cref="FormTokenMatches"/>); the sign-in form, before any session, carries the value of a
/// <see cref="SignInCookie"/> set with the page (a double submit). Both hosts call this from the handlers, since no
/// middleware runs under Azure Functions.
/// </summary>
public sealed partial class DeskSignIn(
    DeskSessionStore sessions, IOptionsMonitor<IntakeOptions> intake, IHostEnvironment environment, ILogger<DeskSignIn> logger)
{
    public const string SessionCookie = "intake_desk";
    public const string SignInCookie = "intake_desk_signin";
    public const string LanguageCookie = "intake_desk_lang";
    public const string CookiePath = "/desk";
    public const string FormTokenField = "_form";
    public const int MaxNameLength = 100;
    public const int MaxKeyLength = 512;

    private static readonly object ItemKey = new();

    /// <summary>The signed-in agent's session, or null; read once per request.</summary>
    public async Task<DeskSession?> CurrentAsync(HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Items.TryGetValue(ItemKey, out var known))
        {
            return known as DeskSession;
        }

        var session = await sessions.FindAsync(http.Request.Cookies[SessionCookie], cancellationToken).ConfigureAwait(false);
        http.Items[ItemKey] = session;
        return session;
    }

    /// <summary>
    /// Checks <paramref name="name"/> and <paramref name="key"/> against <c>Intake:ApiKeys</c> (every key compared, in
    /// constant time) unless the name is locked out; a wrong pair counts toward the lockout, a right one clears it and
    /// starts a session.
    /// </summary>
    public async Task<SignInOutcome> SignInAsync(string name, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(key);
        name = name.Trim();
        if (await sessions.LockedUntilAsync(name, cancellationToken).ConfigureAwait(false) is { } locked)
        {
            LogLockedOut(logger);
            return new SignInOutcome(null, null, locked);
        }

        string? agent = null;
        foreach (var (agentName, agentKey) in intake.CurrentValue.ApiKeys)
        {
            var nameMatches = string.Equals(agentName, name, StringComparison.OrdinalIgnoreCase);
            if (agentKey.Length > 0 && RequestChecks.SecretEquals(key, agentKey) && nameMatches)
            {
                agent ??= agentName;
            }
        }

        if (agent is null)
        {
            var lockedNow = await sessions.RecordFailureAsync(name, cancellationToken).ConfigureAwait(false);
            LogFailed(logger, lockedNow is not null);
            return new SignInOutcome(null, null, lockedNow);
        }

        await sessions.ClearFailuresAsync(name, cancellationToken).ConfigureAwait(false);
        var (token, _) = await sessions.StartAsync(agent, cancellationToken).ConfigureAwait(false);
        LogSignedIn(logger, agent);
        return new SignInOutcome(token, agent, null);
    }

    public async Task SignOutAsync(HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        await sessions.EndAsync(http.Request.Cookies[SessionCookie], cancellationToken).ConfigureAwait(false);
        http.Response.Cookies.Delete(SessionCookie, CookieOptions(http, TimeSpan.Zero));
        http.Items[ItemKey] = null;
    }

    /// <summary>Sets the session's cookie: it lives as long as the session may.</summary>
    public void SetSessionCookie(HttpContext http, string token, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Cookies.Append(SessionCookie, token, CookieOptions(http, lifetime));
    }

    /// <summary>The sign-in form's token: the value of its cookie, set now when the browser has none.</summary>
    public string SignInFormToken(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Request.Cookies[SignInCookie] is { Length: >= 32 and <= 64 } existing)
        {
            return existing;
        }

        var token = DeskSessionStore.NewToken();
        http.Response.Cookies.Append(SignInCookie, token, CookieOptions(http, TimeSpan.FromHours(12)));
        return token;
    }

    /// <summary>Whether the posted sign-in form carries its cookie's value.</summary>
    public static bool SignInFormMatches(HttpContext http, string? posted)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Request.Cookies[SignInCookie] is { Length: >= 32 and <= 64 } cookie && posted is not null && RequestChecks.SecretEquals(posted, cookie);
    }

    /// <summary>Whether a posted form carries the session's form token.</summary>
    public static bool FormTokenMatches(DeskSession session, string? posted)
    {
        ArgumentNullException.ThrowIfNull(session);
        return posted is { Length: > 0 and <= 128 } && RequestChecks.SecretEquals(posted, session.FormToken);
    }

    /// <summary>Remembers the agent's choice of language for the desk's pages.</summary>
    public void SetLanguage(HttpContext http, string language)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Cookies.Append(LanguageCookie, language, CookieOptions(http, TimeSpan.FromDays(365)));
    }

    /// <summary>HttpOnly, SameSite=Strict, the desk's path only; Secure on HTTPS and everywhere outside Development.</summary>
    public CookieOptions CookieOptions(HttpContext http, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(http);
        return new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps || !environment.IsDevelopment(),
            Path = CookiePath,
            MaxAge = lifetime,
            IsEssential = true,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Desk sign-in as {Agent}")]
    private static partial void LogSignedIn(ILogger logger, string agent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Desk sign-in refused: wrong name or key (name now locked: {Locked})")]
    private static partial void LogFailed(ILogger logger, bool locked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Desk sign-in refused: the name is locked out")]
    private static partial void LogLockedOut(ILogger logger);
}
