using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Synapse.Relay.Configuration;

namespace Synapse.Relay.Hosting;

/// <summary>The relay's options as read from configuration when the app starts, or what was wrong with them.</summary>
internal sealed class RelaySettings
{
    public RelayOptions? Options { get; private set; }

    public string? Problem { get; private set; }

    public void Read(IConfigurationSection section, Func<RelayOptions, RelayOptions>? configure)
    {
        try
        {
            var options = RelayConfiguration.FromConfiguration(section);
            if (configure is not null)
            {
                options = configure(options);
                options.Validate();
            }

            Options = options;
        }
        catch (RelayConfigurationException e)
        {
            Problem = e.Message;
        }
        catch (IOException e)
        {
            Problem = $"{section.Path}:{RelayConfiguration.ConfigFileKey}: cannot read '{section[RelayConfiguration.ConfigFileKey]}': {e.Message}";
        }
        catch (UnauthorizedAccessException e)
        {
            Problem = $"{section.Path}:{RelayConfiguration.ConfigFileKey}: cannot read '{section[RelayConfiguration.ConfigFileKey]}': {e.Message}";
        }
    }

    /// <summary>What <c>ValidateOnStart</c> runs: the problem found while reading, if any.</summary>
    internal sealed class Validation : IValidateOptions<RelaySettings>
    {
        public ValidateOptionsResult Validate(string? name, RelaySettings options) =>
            options.Problem is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
