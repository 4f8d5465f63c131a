namespace Intake.Triage;

internal readonly record struct SecretSpan(int Start, int End, SecretKind Kind, string Rule);

internal enum EntityKind : byte
{
    TxHash,
    Address,
}

internal readonly record struct EntitySpan(int Start, int End, EntityKind Kind);

internal static class SpanList
{
    public static bool Overlaps(List<SecretSpan> spans, int start, int end)
    {
        foreach (var span in spans)
        {
            if (span.Start < end && start < span.End)
            {
                return true;
            }
        }

        return false;
    }

    public static bool Overlaps(List<EntitySpan> spans, int start, int end)
    {
        foreach (var span in spans)
        {
            if (span.Start < end && start < span.End)
            {
                return true;
            }
        }

        return false;
    }
}
