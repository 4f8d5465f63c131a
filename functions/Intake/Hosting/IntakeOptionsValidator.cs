using Intake.Surveys;
using Intake.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Intake.Hosting;

/// <summary>
/// What <see cref="IntakeOptions"/> must hold before the app may start, where that depends on the environment or on
/// settings elsewhere: the signing key outside Development, agent keys bound to names and long enough, and no secret that
/// is still a placeholder or an unresolved Key Vault reference. Messages name settings, never their values.
/// </summary>
internal sealed class IntakeOptionsValidator(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<IntakeOptions>
{
    /// <summary>What App Service passes instead of the secret when it cannot resolve a Key Vault reference.</summary>
    private const string KeyVaultReference = "@Microsoft.KeyVault(";

    private const string Placeholder = "replace-me";

    public ValidateOptionsResult Validate(string? name, IntakeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var production = !environment.IsDevelopment();
        if (production && string.IsNullOrWhiteSpace(options.SigningKey))
        {
            failures.Add($"{IntakeOptions.Section}:SigningKey is required outside Development (this is {environment.EnvironmentName}): set it to 32 or more " +
                $"random characters (environment variable {IntakeOptions.Section}__SigningKey); it signs the links customers receive.");
        }

        if (production)
        {
            foreach (var (setting, value) in new[] { ($"{IntakeOptions.Section}:SigningKey", options.SigningKey), ($"{SurveyOptions.Section}:SigningKey", configuration[$"{SurveyOptions.Section}:SigningKey"]) })
            {
                if (value?.StartsWith(Placeholder, StringComparison.OrdinalIgnoreCase) == true)
                {
                    failures.Add($"{setting} is still the example's placeholder; set it to 32 or more random characters.");
                }
            }
        }

        ValidateApiKeys(options.ApiKeys, production, failures);

        // Any setting, not only this section's: an unresolved reference as a secret is a secret anyone who knows the vault can guess.
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (value?.StartsWith(KeyVaultReference, StringComparison.OrdinalIgnoreCase) == true)
            {
                failures.Add($"{key} is an unresolved Key Vault reference (App Service passes the reference itself when it cannot read the secret): " +
                    "check that the secret exists and that the app's identity may read it (Key Vault Secrets User).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateApiKeys(IReadOnlyDictionary<string, string> keys, bool production, List<string> failures)
    {
        var section = $"{IntakeOptions.Section}:{nameof(IntakeOptions.ApiKeys)}";
        if (keys.Keys.Any(agent => agent.All(char.IsAsciiDigit)))
        {
            // A list (JSON array, Intake__ApiKeys__0) binds as names "0", "1", ...: the audit would say "0" did it.
            failures.Add($"{section} is a list; bind each key to the agent it belongs to: {section}:<agent>=<key> " +
                $"(environment variable {IntakeOptions.Section}__ApiKeys__<agent>), so the audit trail names who acted.");
        }

        foreach (var (agent, key) in keys)
        {
            if (agent.Length > Agents.AgentRequests.MaxAgentLength || agent.Any(char.IsControl) || string.Equals(agent.Trim(), Tickets.AuditActions.Customer, StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{section}: an agent's name must be 1 to {Agents.AgentRequests.MaxAgentLength} characters on one line, and not \"{Tickets.AuditActions.Customer}\".");
            }

            if (key.Length == 0)
            {
                continue;
            }

            if (key.Length < IntakeOptions.MinApiKeyLength || key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                failures.Add($"{section}:{agent} must be at least {IntakeOptions.MinApiKeyLength} characters without spaces (random ones: a short key can be guessed).");
            }
            else if (production && key.StartsWith(Placeholder, StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{section}:{agent} is still the example's placeholder.");
            }
        }

        foreach (var shared in keys.Where(k => k.Value.Length > 0).GroupBy(k => k.Value, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"{string.Join(" and ", shared.Select(k => $"{section}:{k.Key}"))} hold the same key; each agent needs a key of their own, or the audit cannot tell them apart.");
        }
    }
}
