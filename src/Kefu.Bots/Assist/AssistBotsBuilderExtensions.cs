using Kefu.Bots;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures agent assist on the bot engine's builder.</summary>
public static class AssistBotsBuilderExtensions
{
    /// <summary>Changes the options of agent assist (<see cref="IAgentAssist"/>).</summary>
    public static BotsBuilder ConfigureAssist(this BotsBuilder builder, Action<AgentAssistOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}
