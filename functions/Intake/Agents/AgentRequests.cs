using System.Text.Json;
using Intake.Tickets;
using Intake.Triage;
using Intake.Hosting;

namespace Intake.Agents;

/// <summary>
/// The bodies of the agent's writes, read from JSON by hand so that anything malformed is a field error (400) and never
/// an exception: <c>{text, agent}</c> for a reply, <c>{agent}</c> for resolve and reopen, <c>{agent, status?,
/// urgency?, category?}</c> for a PATCH. Other members are ignored.
/// </summary>
public static class AgentRequests
{
    public const int MaxAgentLength = 100;
    public const int MaxTextLength = 10_000;

    /// <summary>Past this the body is refused unread (a reply of 10,000 characters escaped as JSON fits many times over).</summary>
    public const int MaxBodyBytes = 128 * 1024;

    public static (string? Text, string? Agent, Dictionary<string, string[]> Errors) Reply(ReadOnlySpan<byte> body)
    {
        var (fields, errors) = Read(body);
        var agent = Agent(fields, errors);
        var text = String(fields, "text", errors);
        if (text is null)
        {
            errors.TryAdd("text", ["Required: 1 to 10,000 characters."]);
        }
        else if (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength)
        {
            errors["text"] = ["Between 1 and 10,000 characters, not only spaces."];
        }

        return (text, agent, errors);
    }

    public static (string? Agent, Dictionary<string, string[]> Errors) AgentOnly(ReadOnlySpan<byte> body)
    {
        var (fields, errors) = Read(body);
        return (Agent(fields, errors), errors);
    }

    public static (TicketPatch? Patch, Dictionary<string, string[]> Errors) Patch(ReadOnlySpan<byte> body)
    {
        var (fields, errors) = Read(body);
        var agent = Agent(fields, errors);

        TicketStatus? status = null;
        if (String(fields, "status", errors) is { } statusName)
        {
            // Resolved and closed have their own routes (resolve, reopen), new is where tickets start.
            if (TicketNames.TryParseStatus(statusName, out var parsed) && parsed is TicketStatus.Open or TicketStatus.WaitingOnCustomer)
            {
                status = parsed;
            }
            else
            {
                errors["status"] = ["One of open, waiting_on_customer (use /resolve and /reopen for the others)."];
            }
        }

        Urgency? urgency = null;
        if (String(fields, "urgency", errors) is { } urgencyName)
        {
            if (TriageNames.TryParseUrgency(urgencyName, out var parsed))
            {
                urgency = parsed;
            }
            else
            {
                errors["urgency"] = ["One of urgent, high, normal, low."];
            }
        }

        TicketCategory? category = null;
        if (String(fields, "category", errors) is { } categoryName)
        {
            if (TriageNames.TryParseCategory(categoryName, out var parsed))
            {
                category = parsed;
            }
            else
            {
                errors["category"] = ["Not a category."];
            }
        }

        if (errors.Count == 0 && status is null && urgency is null && category is null)
        {
            errors["status"] = ["Give at least one of status, urgency, category."];
        }

        return (errors.Count == 0 ? new TicketPatch(agent!, status, urgency, category) : null, errors);
    }

    /// <summary>The members of a JSON object; an empty body reads as an empty object, anything else not an object is an error.</summary>
    private static (Dictionary<string, JsonElement> Fields, Dictionary<string, string[]> Errors) Read(ReadOnlySpan<byte> body)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (fields, errors);
        }

        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            errors["body"] = ["A JSON object in UTF-8."];
            return (fields, errors);
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors["body"] = ["A JSON object."];
                return (fields, errors);
            }

            foreach (var member in document.RootElement.EnumerateObject())
            {
                fields[member.Name] = member.Value.Clone();
            }
        }
        catch (JsonException)
        {
            errors["body"] = ["A JSON object."];
        }

        return (fields, errors);
    }

    private static string? String(Dictionary<string, JsonElement> fields, string name, Dictionary<string, string[]> errors)
    {
        if (!fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors[name] = ["A string."];
            return null;
        }

        return JsonText.Get(value);
    }

    /// <summary>The agent's name as recorded: 1–100 characters, one line, and not the name intake records for customers.</summary>
    private static string? Agent(Dictionary<string, JsonElement> fields, Dictionary<string, string[]> errors)
    {
        var agent = String(fields, "agent", errors)?.Trim();
        if (errors.ContainsKey("agent"))
        {
            return null;
        }

        if (string.IsNullOrEmpty(agent) || agent.Length > MaxAgentLength || agent.Any(char.IsControl))
        {
            errors["agent"] = ["Required: the agent's name, 1 to 100 characters on one line."];
            return null;
        }

        if (string.Equals(agent, AuditActions.Customer, StringComparison.OrdinalIgnoreCase))
        {
            errors["agent"] = ["\"customer\" is what the audit trail calls the customer; use your own name."];
            return null;
        }

        return agent;
    }
}
