using Microsoft.Extensions.Options;

namespace Synapse.Hosting;

/// <summary>
/// What <c>ValidateOnStart</c> runs for named settings (an agent's, a client's, a relay client's): every problem the
/// settings have, each naming its configuration key under the section of the name.
/// </summary>
internal abstract class NamedSettingsValidation<TSettings> : IValidateOptions<TSettings>
    where TSettings : class
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TSettings options)
    {
        if (name is null)
        {
            return ValidateOptionsResult.Skip;
        }

        var problems = new List<string>();
        Check(options, Section(name), problems);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>The configuration section of the settings named <paramref name="name"/>.</summary>
    protected abstract string Section(string name);

    /// <summary>Adds to <paramref name="problems"/> what cannot be used, each prefixed by its key in <paramref name="section"/>.</summary>
    protected abstract void Check(TSettings settings, string section, List<string> problems);
}
