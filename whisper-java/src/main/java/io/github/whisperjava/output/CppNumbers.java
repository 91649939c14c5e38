package io.github.whisperjava.output;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Numbers as a C++ {@code std::ostream} prints them by default, which is how whisper-cli writes them. */
final class CppNumbers {
    private CppNumbers() {}

    /**
     * {@code out << (float) v} with the stream's defaults: the float widened to double, printed as
     * {@code printf("%g")} with 6 significant digits (fixed or exponent form by the exponent, trailing
     * zeros removed).
     */
    static String general(double v) {
        if (Double.isNaN(v)) {
            return Double.doubleToRawLongBits(v) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(v)) {
            return v < 0 ? "-inf" : "inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0" : "0";
        }
        // the exact binary value, rounded to nearest-even as glibc's printf does
        BigDecimal d = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exponent = d.precision() - d.scale() - 1;
        if (exponent < -4 || exponent >= 6) {
            String digits = d.unscaledValue().abs().toString();
            String mantissa = stripZeros(digits.charAt(0) + "." + digits.substring(1));
            String sign = v < 0 ? "-" : "";
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
                    + Math.abs(exponent);
        }
        return stripZeros(d.setScale(Math.max(0, 5 - exponent), RoundingMode.HALF_EVEN).toPlainString());
    }

    private static String stripZeros(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }
}
