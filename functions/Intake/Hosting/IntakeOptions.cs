using System.ComponentModel.DataAnnotations;

namespace Intake.Hosting;

/// <summary>The <c>Intake</c> section: where customers reach us, and the key that signs links we give them.</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>The public address of this service; links in messages start here. Default: the request's own address.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Signs status links (HMAC-SHA256). Required outside Development (<see cref="IntakeOptionsValidator"/>); at least 32 characters.</summary>
    [MinLength(32)]
    public string? SigningKey { get; set; }

    /// <summary>
    /// The agent API's keys (<c>x-api-key</c>), each bound to the agent it belongs to: <c>Intake:ApiKeys:alice</c>
    /// (environment variable <c>Intake__ApiKeys__alice</c>). The audit trail names that agent. At least
    /// <see cref="MinApiKeyLength"/> characters, one agent per key; an empty key leaves its agent out. None: nobody gets in.
    /// </summary>
    public IReadOnlyDictionary<string, string> ApiKeys { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Automatic messages (acknowledgements) one address may receive a day, across tickets (DESIGN §5): a form or a
    /// spoofed sender cannot turn us into a mail bomb, and two auto-responders cannot loop.
    /// </summary>
    [Range(1, 1000)]
    public int AutomaticRepliesPerDay { get; set; } = 5;

    public const int MinApiKeyLength = 32;
}
