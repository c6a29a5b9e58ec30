using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Synapse.Generators.Diagnostics;
using Synapse.Generators.Schedules;
using Synapse.Generators.Common;

namespace Synapse.Generators.Nodes;

/// <summary>The schedules of background jobs: [Background(seconds)], [Every], [Cron] and [Solar], checked at compile time.</summary>
internal sealed partial class NodeAnalysis
{
    private List<(AttributeData Attribute, string Name)> ScheduleAttributes(IMethodSymbol method)
    {
        var result = new List<(AttributeData, string)>();
        foreach (var (attribute, name) in _known.ScheduleAttributes)
        {
            if (_known.Find(method, attribute) is { } data)
            {
                result.Add((data, name));
            }
        }

        return result;
    }

    /// <summary>The schedule of <paramref name="attribute"/>: not bound when the compiler reports the attribute itself; null when a finding was added.</summary>
    private (bool Bound, ScheduleModel? Schedule) AnalyzeSchedule(IMethodSymbol method, AttributeData attribute, string attributeName)
    {
        if (attribute.AttributeConstructor is null)
        {
            return (false, null);
        }

        var arguments = attribute.ConstructorArguments;
        switch (attributeName)
        {
            case "Background":
                return arguments.Length == 1 && arguments[0].Value is double seconds
                    ? (true, Interval(method, attribute, attributeName, seconds, AttributeArgumentLocation(attribute, 0), "a positive number of seconds (as in [Background(5)])"))
                    : (false, null);
            case "Every":
                return (true, Every(method, attribute));
            case "Cron":
                return arguments.Length == 1 ? (true, Cron(method, attribute)) : (false, null);
            default:
                return arguments.Length == 3 ? (true, Solar(method, attribute)) : (false, null);
        }
    }

    private ScheduleModel? Every(IMethodSymbol method, AttributeData attribute)
    {
        const string Fix = "a positive time (as in [Every(Minutes = 5)] or [Every(Hours = 1, Minutes = 30)])";
        var seconds = 0.0;
        var any = false;
        foreach (var (name, scale) in new[] { ("Seconds", 1.0), ("Minutes", 60.0), ("Hours", 3600.0), ("Days", 86400.0) })
        {
            if (AttributeArguments.Named(attribute, name) is double value)
            {
                any = true;
                if (double.IsNaN(value) || double.IsInfinity(value))
                {
                    return IntervalProblem(method, "Every", NamedArgumentLocation(attribute, name), $"has {name} = {Show(value)}, which is not a finite number", Fix);
                }

                seconds += value * scale;
            }
        }

        return any
            ? Interval(method, attribute, "Every", seconds, AttributeLocation(attribute), Fix)
            : IntervalProblem(method, "Every", AttributeLocation(attribute), "is missing", Fix);
    }

    private ScheduleModel? Interval(IMethodSymbol method, AttributeData attribute, string attributeName, double seconds, Location? location, string fix)
    {
        if (double.IsNaN(seconds) || double.IsInfinity(seconds) || seconds <= 0)
        {
            return IntervalProblem(method, attributeName, location, $"is {Show(seconds)} seconds, which is not positive", fix);
        }

        var ticks = seconds * TimeSpan.TicksPerSecond;
        if (ticks >= long.MaxValue || Math.Round(ticks) < 1)
        {
            return IntervalProblem(method, attributeName, location, $"is {Show(seconds)} seconds, which is out of range", "at least 0.0000001 seconds (one tick) and less than TimeSpan.MaxValue");
        }

        return new ScheduleModel(ScheduleKind.Interval, IntervalTicks: (long)Math.Round(ticks));
    }

    private ScheduleModel? IntervalProblem(IMethodSymbol method, string attributeName, Location? location, string problem, string fix)
    {
        Findings.Add(new Finding(DiagnosticDescriptors.InvalidScheduleInterval, location ?? method.Locations.FirstOrDefault(), attributeName, method.Name, problem, fix));
        return null;
    }

    private ScheduleModel? Cron(IMethodSymbol method, AttributeData attribute)
    {
        var expression = attribute.ConstructorArguments[0].Value as string;
        var problem = expression is null ? "it is null" : CronSyntax.Check(expression);
        if (problem is not null)
        {
            Findings.Add(new Finding(DiagnosticDescriptors.MalformedCronExpression, AttributeArgumentLocation(attribute, 0) ?? method.Locations.FirstOrDefault(), expression ?? "", method.Name, problem));
            return null;
        }

        var timeZone = AttributeArguments.Named(attribute, "TimeZone") as string;
        var dayOr = AttributeArguments.Named(attribute, "DayOr") is not bool b || b;
        return new ScheduleModel(ScheduleKind.Cron, CronExpression: expression, TimeZone: timeZone, DayOr: dayOr);
    }

    private ScheduleModel? Solar(IMethodSymbol method, AttributeData attribute)
    {
        var arguments = attribute.ConstructorArguments;
        var ok = true;
        string? member;
        if (arguments[0].Type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType)
        {
            member = enumType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, arguments[0].Value))?.Name;
            if (member is null)
            {
                ok = UnknownSolarEvent(method, attribute, "(SolarEvent)" + Convert.ToString(arguments[0].Value, CultureInfo.InvariantCulture));
            }
        }
        else
        {
            var name = arguments[0].Value as string;
            member = name is null ? null : SolarEventNames.Member(name);
            if (member is null)
            {
                ok = UnknownSolarEvent(method, attribute, name is null ? "null" : "\"" + name + "\"");
            }
        }

        var latitude = Convert.ToDouble(arguments[1].Value, CultureInfo.InvariantCulture);
        var longitude = Convert.ToDouble(arguments[2].Value, CultureInfo.InvariantCulture);
        ok &= Coordinate(method, attribute, 1, "latitude", latitude, 90, "north is positive");
        ok &= Coordinate(method, attribute, 2, "longitude", longitude, 180, "east of Greenwich is positive");
        return ok ? new ScheduleModel(ScheduleKind.Solar, SolarEvent: member, Latitude: latitude, Longitude: longitude) : null;
    }

    private bool UnknownSolarEvent(IMethodSymbol method, AttributeData attribute, string shown)
    {
        Findings.Add(new Finding(DiagnosticDescriptors.UnknownSolarEvent, AttributeArgumentLocation(attribute, 0) ?? method.Locations.FirstOrDefault(), shown, method.Name));
        return false;
    }

    private bool Coordinate(IMethodSymbol method, AttributeData attribute, int index, string what, double value, double limit, string hint)
    {
        if (value >= -limit && value <= limit)
        {
            return true;
        }

        Findings.Add(new Finding(DiagnosticDescriptors.CoordinateOutOfRange, AttributeArgumentLocation(attribute, index) ?? method.Locations.FirstOrDefault(),
            what, Show(value), method.Name, Show(-limit), Show(limit), hint));
        return false;
    }

    private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
