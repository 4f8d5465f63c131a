using System.Text.Json;
using Intake.Tickets;
using Intake.Triage;
using Intake.Web;

namespace Intake.Agents;

/// <summary>
/// The bodies of the agent's writes, read from JSON by hand so that anything malformed is a field error (400) and never
/// an exception: <c>{text, agent?}</c> for a reply, <c>{agent?}</c> for resolve and reopen, <c>{agent?, status?,
/// urgency?, category?}</c> for a PATCH. Other members are ignored.
/// <para>
/// The agent who acts is the one whose key the request carries (<see cref="AgentKeys"/>), passed in as
/// <c>agent</c>. A body may still name them (older clients do); a body that names anyone else is refused rather than
/// ignored, so a client that believes it acts for someone else (a shared tool, a colleague's key) learns it at once
/// instead of leaving a trail that says otherwise.
/// </para>
/// </summary>
public static class AgentRequests
{
    public const int MaxAgentLength = 100;
    public const int MaxTextLength = 10_000;

    /// <summary>Past this the body is refused unread (a reply of 10,000 characters escaped as JSON fits many times over).</summary>
    public const int MaxBodyBytes = 128 * 1024;

    public static (string? Text, Dictionary<string, string[]> Errors) Reply(ReadOnlySpan<byte> body, string agent)
    {
        var (fields, errors) = Read(body);
        CheckAgent(fields, agent, errors);
        var text = String(fields, "text", errors);
        if (text is null)
        {
            errors.TryAdd("text", ["Required: 1 to 10,000 characters."]);
        }
        else if (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength)
        {
            errors["text"] = ["Between 1 and 10,000 characters, not only spaces."];
        }

        return (text, errors);
    }

    /// <summary>A body that carries nothing but, at most, the agent (resolve, reopen).</summary>
    public static Dictionary<string, string[]> AgentOnly(ReadOnlySpan<byte> body, string agent)
    {
        var (fields, errors) = Read(body);
        CheckAgent(fields, agent, errors);
        return errors;
    }

    public static (TicketPatch? Patch, Dictionary<string, string[]> Errors) Patch(ReadOnlySpan<byte> body, string agent)
    {
        var (fields, errors) = Read(body);
        CheckAgent(fields, agent, errors);

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

        return (errors.Count == 0 ? new TicketPatch(agent, status, urgency, category) : null, errors);
    }

    /// <summary>
    /// A block, <c>{channel, id, reason?}</c>: a known channel, an id of 1 to <see cref="ContactBlocks.MaxContactIdLength"/>
    /// characters (not only spaces), a reason of at most <see cref="ContactBlocks.MaxReasonLength"/>.
    /// </summary>
    public static (ContactBlockRequest? Request, Dictionary<string, string[]> Errors) Block(ReadOnlySpan<byte> body, string agent)
    {
        var (fields, errors) = Read(body);
        CheckAgent(fields, agent, errors);
        var channel = String(fields, "channel", errors);
        if (channel is null || !ChannelNames.All.Contains(channel))
        {
            errors.TryAdd("channel", [$"One of {string.Join(", ", ChannelNames.All)}."]);
        }

        var id = String(fields, "id", errors);
        if (string.IsNullOrWhiteSpace(id) || id.Length > ContactBlocks.MaxContactIdLength)
        {
            errors.TryAdd("id", [$"The contact's id on the channel (as its tickets show it): 1 to {ContactBlocks.MaxContactIdLength} characters, not only spaces."]);
        }

        var reason = String(fields, "reason", errors);
        if (reason is { Length: > ContactBlocks.MaxReasonLength })
        {
            errors["reason"] = [$"At most {ContactBlocks.MaxReasonLength} characters."];
        }

        return (errors.Count == 0 ? new ContactBlockRequest(channel!, id!, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()) : null, errors);
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

    /// <summary>An <c>agent</c> in the body, when there is one, must be the agent the key belongs to (compared ignoring case).</summary>
    private static void CheckAgent(Dictionary<string, JsonElement> fields, string agent, Dictionary<string, string[]> errors)
    {
        if (String(fields, "agent", errors)?.Trim() is { } named && !string.Equals(named, agent, StringComparison.OrdinalIgnoreCase))
        {
            errors["agent"] = [$"The key you sent is {agent}'s, and the audit trail names the key's agent: leave agent out, or send \"{agent}\"."];
        }
    }
}

/// <summary>What an agent asks to block: the contact's channel and id, and why.</summary>
public sealed record ContactBlockRequest(string Channel, string Id, string? Reason);
