//! Prometheus's `/api/v1/query` answer turned into one value, or the reason there is
//! none. Sample values travel as strings ("1", "NaN", "+Inf"), which is how NaN and the
//! infinities reach us at all.

use serde::Deserialize;
use serde_json::Value;

/// What an instant query answered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Answer {
    /// One series (or a scalar): its value, NaN and infinities included.
    Value(f64),
    /// An empty vector: nothing matched.
    NoSeries,
    /// More than one series: no single value to judge.
    Series(usize),
}

/// The envelope every API answer shares.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    status: String,
    #[serde(default)]
    data: Option<QueryData>,
    #[serde(default)]
    error_type: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QueryData {
    result_type: String,
    result: Value,
}

#[derive(Deserialize)]
struct VectorSample {
    value: (Value, String),
}

/// Reads an answer body (of any HTTP status: Prometheus explains errors in JSON).
/// `Err` carries the reason a person reads: Prometheus's own `errorType` and `error`.
pub fn parse(body: &[u8]) -> Result<Answer, String> {
    let envelope: Envelope = serde_json::from_slice(body)
        .map_err(|error| format!("answer is not Prometheus API JSON ({error})"))?;
    if envelope.status != "success" {
        let kind = envelope.error_type.as_deref().unwrap_or("error");
        let text = envelope.error.as_deref().unwrap_or("no explanation given");
        return Err(format!("Prometheus {kind}: {text}"));
    }
    let data = envelope
        .data
        .ok_or("answer has status success but no data")?;
    match data.result_type.as_str() {
        "vector" => vector(data.result),
        "scalar" => {
            let (_, value): (Value, String) = serde_json::from_value(data.result)
                .map_err(|error| format!("scalar result is malformed ({error})"))?;
            sample(&value).map(Answer::Value)
        }
        "matrix" => Err(
            "query returns a range vector (matrix), not one value; ask an \
                         instant vector, like rate(x[5m]) instead of x[5m]"
                .to_string(),
        ),
        other => Err(format!(
            "query returns a {other}, not a number; ask a scalar or one series"
        )),
    }
}

fn vector(result: Value) -> Result<Answer, String> {
    let samples: Vec<VectorSample> = serde_json::from_value(result)
        .map_err(|error| format!("vector result is malformed ({error})"))?;
    match samples.as_slice() {
        [] => Ok(Answer::NoSeries),
        [only] => sample(&only.value.1).map(Answer::Value),
        many => Ok(Answer::Series(many.len())),
    }
}

/// A sample value as Prometheus writes it: a decimal, "NaN", "+Inf" or "-Inf".
fn sample(text: &str) -> Result<f64, String> {
    match text {
        "NaN" => Ok(f64::NAN),
        "+Inf" | "Inf" => Ok(f64::INFINITY),
        "-Inf" => Ok(f64::NEG_INFINITY),
        _ => text
            .parse::<f64>()
            .map_err(|_| format!("sample value {text:?} is not a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector_of(values: &[&str]) -> String {
        let series: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                format!(r#"{{"metric":{{"instance":"n{i}"}},"value":[1700000000.123,"{v}"]}}"#)
            })
            .collect();
        format!(
            r#"{{"status":"success","data":{{"resultType":"vector","result":[{}]}}}}"#,
            series.join(",")
        )
    }

    #[test]
    fn one_series_gives_its_value_as_prometheus_encodes_it() {
        let cases: &[(&str, f64)] = &[
            ("1", 1.0),
            ("0.25", 0.25),
            ("-3e2", -300.0),
            ("+Inf", f64::INFINITY),
            ("-Inf", f64::NEG_INFINITY),
        ];
        for (written, want) in cases {
            let answer = parse(vector_of(&[written]).as_bytes());
            assert_eq!(answer, Ok(Answer::Value(*want)), "{written}");
        }
        match parse(vector_of(&["NaN"]).as_bytes()) {
            Ok(Answer::Value(v)) => assert!(v.is_nan()),
            other => panic!("NaN: {other:?}"),
        }
    }

    #[test]
    fn empty_and_several_series_are_told_apart() {
        assert_eq!(parse(vector_of(&[]).as_bytes()), Ok(Answer::NoSeries));
        assert_eq!(
            parse(vector_of(&["1", "2", "3"]).as_bytes()),
            Ok(Answer::Series(3))
        );
    }

    #[test]
    fn a_scalar_is_one_value() {
        let body =
            r#"{"status":"success","data":{"resultType":"scalar","result":[1700000000,"42.5"]}}"#;
        assert_eq!(parse(body.as_bytes()), Ok(Answer::Value(42.5)));
    }

    #[test]
    fn prometheus_errors_are_quoted() {
        let body = r#"{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected right parenthesis ')'"}"#;
        assert_eq!(
            parse(body.as_bytes()),
            Err(
                "Prometheus bad_data: 1:5: parse error: unexpected right parenthesis ')'"
                    .to_string()
            )
        );
        let timeout = r#"{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}"#;
        assert_eq!(
            parse(timeout.as_bytes()),
            Err("Prometheus timeout: query timed out in expression evaluation".to_string())
        );
    }

    #[test]
    fn answers_that_are_not_one_number_say_why() {
        let matrix = r#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#;
        let string = r#"{"status":"success","data":{"resultType":"string","result":[1,"x"]}}"#;
        let cases = [
            (matrix, "range vector (matrix)"),
            (string, "returns a string, not a number"),
            ("<html>502 Bad Gateway</html>", "not Prometheus API JSON"),
            (r#"{"status":"success"}"#, "no data"),
            (
                &*vector_of(&["fast"]),
                "sample value \"fast\" is not a number",
            ),
        ];
        for (body, want) in cases {
            match parse(body.as_bytes()) {
                Err(reason) => assert!(reason.contains(want), "{body}: {reason}"),
                Ok(answer) => panic!("{body}: {answer:?}"),
            }
        }
    }
}
