package io.github.whisperjava.spark;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import scala.Function1;
import scala.Tuple3;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;

/**
 * {@code transcribe(content)} in every session, by configuration alone:
 * {@code --conf spark.sql.extensions=io.github.whisperjava.spark.WhisperSparkExtensions}. For the
 * spark-sql shell, the Thrift server and PySpark, where there is no Java code to call
 * {@link TranscribeUdf#register}.
 */
public final class WhisperSparkExtensions implements Function1<SparkSessionExtensions, BoxedUnit> {

    @Override
    public BoxedUnit apply(SparkSessionExtensions extensions) {
        UserDefinedFunction udf = functions.udf(new TranscribeUdf(), TranscriptSchema.RESULT).withName(TranscribeUdf.NAME);
        Function1<Seq<Expression>, Expression> builder = children -> {
            Column[] args = CollectionConverters.asJava(children).stream().map(Column::new).toArray(Column[]::new);
            if (args.length != 1) {
                throw new IllegalArgumentException(TranscribeUdf.NAME + "(content) takes one argument, not "
                        + Arrays.toString(args));
            }
            return udf.apply(args).expr();
        };
        extensions.injectFunction(new Tuple3<>(FunctionIdentifier.apply(TranscribeUdf.NAME),
                new ExpressionInfo(TranscribeUdf.class.getName(), TranscribeUdf.NAME), builder));
        return BoxedUnit.UNIT;
    }
}
