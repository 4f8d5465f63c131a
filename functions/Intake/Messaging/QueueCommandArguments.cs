namespace Intake.Messaging;

/// <summary>
/// The arguments the queue commands share (<c>dead-letters</c>, <c>poison</c>): <c>--queue tickets-urgent</c> (default: all
/// four), <c>--max n</c> (default 1,000), and any <c>--Key=value</c>, which is configuration.
/// </summary>
public static class QueueCommandArguments
{
    public static bool TryParse(string[] args, out IReadOnlyList<string> queues, out int max, out string[] configurationArgs)
    {
        var all = TicketQueues.ByPriority.Select(TicketQueues.NameFor).ToList();
        queues = all;
        max = 1000;
        var rest = new List<string>();

        // --queue=x and --max=n read as --queue x and --max n; any other --Key=value is configuration.
        args = [.. args.SelectMany(a => a.StartsWith("--queue=", StringComparison.Ordinal) || a.StartsWith("--max=", StringComparison.Ordinal) ? a.Split('=', 2) : [a])];
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--queue" when i + 1 < args.Length && all.Contains(args[i + 1], StringComparer.Ordinal):
                    queues = [args[++i]];
                    break;
                case "--max" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0:
                    max = n;
                    i++;
                    break;
                case var arg when arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal):
                    rest.Add(arg);
                    break;
                default:
                    configurationArgs = [];
                    return false;
            }
        }

        configurationArgs = [.. rest];
        return true;
    }
}
