using System.Text.RegularExpressions;
using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.ApplicationInsights.Extensibility;

namespace Intake.Functions;

/// <summary>
/// Keeps credentials out of the worker's telemetry. Dependency tracking records every outgoing URL, and the Telegram Bot
/// API carries the bot's token in its path (<c>/bot{token}/sendMessage</c>); a request's query may carry a status, survey
/// or function key. Such a segment or value becomes <c>***</c> before the item leaves the process.
/// </summary>
public sealed partial class TelemetryRedaction : ITelemetryInitializer
{
    public void Initialize(ITelemetry telemetry)
    {
        switch (telemetry)
        {
            case DependencyTelemetry dependency:
                dependency.Data = Redact(dependency.Data);
                dependency.Name = Redact(dependency.Name);
                break;
            case RequestTelemetry request:
                request.Name = Redact(request.Name);
                if (request.Url is { } url)
                {
                    request.Url = new Uri(Redact(url.OriginalString), UriKind.RelativeOrAbsolute);
                }

                break;
        }
    }

    public static string Redact(string? text) =>
        string.IsNullOrEmpty(text) ? text ?? "" : Secret().Replace(BotPath().Replace(text, "/bot***/"), match => match.Groups["name"].Value + "=***");

    [GeneratedRegex(@"/bot[^/?#\s]+/", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex BotPath();

    [GeneratedRegex(@"(?<name>\b(?:token|access_token|code|key|sig|signature|hub\.verify_token|crc_token|secret|password))=[^&#\s]*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex Secret();
}
