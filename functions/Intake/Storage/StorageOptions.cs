using System.ComponentModel.DataAnnotations;

namespace Intake.Storage;

/// <summary>
/// <c>Storage:Prefix</c>: put in front of every table and queue name, so that several Intake instances (a
/// developer's server and a test run, say) can share one storage account. Empty in production.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    [RegularExpression("^([a-z][a-z0-9]{0,19})?$", ErrorMessage = "Storage:Prefix must be up to 20 lower-case letters and digits, starting with a letter.")]
    public string Prefix { get; set; } = "";
}
