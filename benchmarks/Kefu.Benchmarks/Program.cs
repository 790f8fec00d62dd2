using Kefu.Benchmarks.Analytics;
using Kefu.Benchmarks.Bots;
using Kefu.Benchmarks.Cluster;
using Kefu.Benchmarks.Moderation;
using Kefu.Benchmarks.Reporting;
using Kefu.Benchmarks.Routing;
using Kefu.Benchmarks.Verbs;

// Kefu.Benchmarks <verb> [arguments]: every benchmark and evaluation of Kefu behind one console.
IVerb[] verbs = [new MicroVerb(), new FilterBenchVerb(Console.Out, Console.Error), new SimulateVerb(Console.Out, Console.Error),
    new EvalBotVerb(Console.Out, Console.Error), new EvalPairsVerb(Console.Out, Console.Error), new BotBenchVerb(Console.Out, Console.Error),
    new EvalSentimentVerb(Console.Out, Console.Error), new EvalTopicsVerb(Console.Out, Console.Error), new ReportCheckVerb(Console.Out, Console.Error),
    new ClusterBenchVerb(Console.Out, Console.Error), new Kefu.Benchmarks.Load.LoadVerb(Console.Out, Console.Error)];
return await new VerbTable(verbs, Console.Out, Console.Error).RunAsync(args);
