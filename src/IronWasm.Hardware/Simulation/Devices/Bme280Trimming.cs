namespace IronWasm.Hardware.Simulation.Devices;

/// <summary>The BME280's trimming parameters and Bosch's integer compensation formulas
/// (BME280 datasheet, section 4.2.3), with their numerical inverses: the model finds the raw
/// ADC values for which the formulas give back the environment's values.</summary>
internal sealed record Bme280Trimming(
    ushort T1, short T2, short T3,
    ushort P1, short P2, short P3, short P4, short P5, short P6, short P7, short P8, short P9,
    byte H1, short H2, byte H3, short H4, short H5, sbyte H6)
{
    /// <summary>The temperature and pressure values are the worked example of Bosch's datasheet
    /// (BMP280 datasheet section 3.12, the same trimming layout); the humidity values are
    /// typical of real parts.</summary>
    public static Bme280Trimming Example { get; } = new(
        27504, 26435, -1000,
        36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000,
        75, 362, 0, 313, 50, 30);

    /// <summary>0x88 to 0xA1: dig_T1..dig_P9 little-endian, 0xA0 unused, 0xA1 dig_H1.</summary>
    public byte[] Block1()
    {
        var b = new byte[26];
        ushort[] words = [T1, (ushort)T2, (ushort)T3, P1, (ushort)P2, (ushort)P3, (ushort)P4, (ushort)P5, (ushort)P6, (ushort)P7, (ushort)P8, (ushort)P9];
        for (int i = 0; i < words.Length; i++)
        {
            b[2 * i] = (byte)words[i];
            b[2 * i + 1] = (byte)(words[i] >> 8);
        }
        b[25] = H1;
        return b;
    }

    /// <summary>0xE1 to 0xE7: dig_H2 (LE), dig_H3, then dig_H4 = E4[7:0]:E5[3:0] and
    /// dig_H5 = E6[7:0]:E5[7:4] (12-bit each), dig_H6.</summary>
    public byte[] Block2() =>
    [
        (byte)H2, (byte)(H2 >> 8), H3,
        (byte)(H4 >> 4), (byte)((H4 & 0x0F) | ((H5 & 0x0F) << 4)), (byte)(H5 >> 4),
        (byte)H6,
    ];

    public static Bme280Trimming Decode(ReadOnlySpan<byte> block1, ReadOnlySpan<byte> block2)
    {
        static ushort U(ReadOnlySpan<byte> b, int i) => (ushort)(b[i] | (b[i + 1] << 8));
        static short S(ReadOnlySpan<byte> b, int i) => (short)U(b, i);
        return new(U(block1, 0), S(block1, 2), S(block1, 4), U(block1, 6), S(block1, 8), S(block1, 10), S(block1, 12),
            S(block1, 14), S(block1, 16), S(block1, 18), S(block1, 20), S(block1, 22),
            block1[25], (short)(block2[0] | (block2[1] << 8)), block2[2],
            (short)(((sbyte)block2[3] << 4) | (block2[4] & 0x0F)),
            (short)(((sbyte)block2[5] << 4) | (block2[4] >> 4)),
            (sbyte)block2[6]);
    }

    /// <summary>BME280_compensate_T_int32: 0.01 °C; also yields t_fine.</summary>
    public int CompensateTemperature(int adcT, out int tFine)
    {
        int var1 = (((adcT >> 3) - (T1 << 1)) * T2) >> 11;
        int var2 = (((((adcT >> 4) - T1) * ((adcT >> 4) - T1)) >> 12) * T3) >> 14;
        tFine = var1 + var2;
        return (tFine * 5 + 128) >> 8;
    }

    /// <summary>BME280_compensate_P_int64: Pa in Q24.8.</summary>
    public uint CompensatePressure(int adcP, int tFine)
    {
        long var1 = (long)tFine - 128000;
        long var2 = var1 * var1 * P6;
        var2 += (var1 * P5) << 17;
        var2 += (long)P4 << 35;
        var1 = ((var1 * var1 * P3) >> 8) + ((var1 * P2) << 12);
        var1 = (((1L << 47) + var1) * P1) >> 33;
        if (var1 == 0) return 0;
        long p = 1048576 - adcP;
        p = (((p << 31) - var2) * 3125) / var1;
        var1 = (P9 * (p >> 13) * (p >> 13)) >> 25;
        var2 = (P8 * p) >> 19;
        p = ((p + var1 + var2) >> 8) + ((long)P7 << 4);
        return (uint)p;
    }

    /// <summary>bme280_compensate_H_int32: %RH in Q22.10.</summary>
    public uint CompensateHumidity(int adcH, int tFine)
    {
        int v = tFine - 76800;
        v = ((((adcH << 14) - (H4 << 20) - (H5 * v)) + 16384) >> 15)
            * (((((((v * H6) >> 10) * (((v * H3) >> 11) + 32768)) >> 10) + 2097152) * H2 + 8192) >> 14);
        v -= ((((v >> 15) * (v >> 15)) >> 7) * H1) >> 4;
        v = Math.Clamp(v, 0, 419430400);
        return (uint)(v >> 12);
    }

    /// <summary>The 20-bit adc_T whose t_fine is closest to <paramref name="celsius"/> × 5120.</summary>
    public int RawTemperature(double celsius)
    {
        double target = celsius * 5120;
        return Closest(0, (1 << 20) - 1, increasing: true, adc => { CompensateTemperature(adc, out int f); return f; }, target);
    }

    /// <summary>The 20-bit adc_P for which the pressure formula is closest to <paramref name="hectopascal"/>.</summary>
    public int RawPressure(double hectopascal, int tFine) =>
        Closest(0, (1 << 20) - 1, increasing: false, adc => CompensatePressure(adc, tFine), hectopascal * 100 * 256);

    /// <summary>The 16-bit adc_H for which the humidity formula is closest to <paramref name="percent"/>.</summary>
    public int RawHumidity(double percent, int tFine) =>
        Closest(0, 0xFFFF, increasing: true, adc => CompensateHumidity(adc, tFine), percent * 1024);

    /// <summary>Binary search over a monotonic integer function, then the nearer neighbour.</summary>
    private static int Closest(int low, int high, bool increasing, Func<int, double> f, double target)
    {
        int lo = low, hi = high;
        while (lo < hi)
        {
            int mid = lo + (hi - lo) / 2;
            bool below = increasing ? f(mid) < target : f(mid) > target;
            if (below) lo = mid + 1; else hi = mid;
        }
        if (lo > low && Math.Abs(f(lo - 1) - target) <= Math.Abs(f(lo) - target)) return lo - 1;
        return lo;
    }
}
