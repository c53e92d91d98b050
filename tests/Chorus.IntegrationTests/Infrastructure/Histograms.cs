using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Chorus.IntegrationTests.Infrastructure;

public static class Histograms
{
    /// <summary>
    /// Hears what <paramref name="app"/> alone records on the integer instrument <paramref name="name"/> (other tests'
    /// apps run in parallel and record on instruments of the same name), into <paramref name="values"/>, until disposed.
    /// </summary>
    public static MeterListener Hear(ChorusApp app, string name, ConcurrentBag<int> values)
    {
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => values.Add(value));
        listener.Start();
        return listener;
    }
}
