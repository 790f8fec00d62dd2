using Kefu.Bots;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kefu.Bots
{
    /// <summary>Settings of Q&amp;A optimisation (B6, E17 2.13): the log of unmatched questions and how it is grouped.</summary>
    public sealed class BotOptimizationOptions
    {
        /// <summary>How alike two unmatched questions must be to fall in one group.</summary>
        /// <value>0.1–0.95; default 0.5.</value>
        public double GroupSimilarity { get; set; } = 0.5;

        /// <summary>How many distinct unmatched questions each robot keeps; past it the least recently asked is forgotten.</summary>
        /// <value>100–1,000,000; default 20,000.</value>
        public int MaxQuestionsPerRobot { get; set; } = 20_000;

        /// <summary>
        /// How long after a question is recorded the robot's log is written to the store: the questions of that time are
        /// written together, in one document per robot. The log is also written when the services are disposed.
        /// </summary>
        /// <value>0 to 10 minutes; default 10 seconds.</value>
        public TimeSpan FlushDelay { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Throws a <see cref="KefuValidationException"/> naming the first setting out of its range.</summary>
        public void Validate()
        {
            if (!(GroupSimilarity is >= 0.1 and <= 0.95))
            {
                throw new KefuValidationException(nameof(GroupSimilarity), "0.1–0.95", $"was {GroupSimilarity}");
            }

            if (MaxQuestionsPerRobot is < 100 or > 1_000_000)
            {
                throw new KefuValidationException(nameof(MaxQuestionsPerRobot), "100–1,000,000", $"was {MaxQuestionsPerRobot}");
            }

            if (FlushDelay < TimeSpan.Zero || FlushDelay > TimeSpan.FromMinutes(10))
            {
                throw new KefuValidationException(nameof(FlushDelay), "0 to 10 minutes", $"was {FlushDelay}");
            }
        }
    }

    /// <summary>Fails options validation (at start) with the setting and its allowed range.</summary>
    internal sealed class BotOptimizationOptionsValidator : IValidateOptions<BotOptimizationOptions>
    {
        public ValidateOptionsResult Validate(string? name, BotOptimizationOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            try
            {
                options.Validate();
                return ValidateOptionsResult.Success;
            }
            catch (KefuValidationException ex)
            {
                return ValidateOptionsResult.Fail($"BotOptimizationOptions.{ex.Field}: {ex.Message}");
            }
        }
    }
}

namespace Microsoft.Extensions.DependencyInjection
{
    /// <summary>Configures Q&amp;A optimisation on <see cref="BotsBuilder"/>.</summary>
    public static class BotOptimizationBuilderExtensions
    {
        /// <summary>Changes the settings of Q&amp;A optimisation (<see cref="BotOptimizationOptions"/>); they are validated at start.</summary>
        public static BotsBuilder ConfigureOptimization(this BotsBuilder builder, Action<BotOptimizationOptions> configure)
        {
            ArgumentNullException.ThrowIfNull(builder);
            ArgumentNullException.ThrowIfNull(configure);
            builder.Services.Configure(configure);
            builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BotOptimizationOptions>, BotOptimizationOptionsValidator>());
            return builder;
        }
    }
}
