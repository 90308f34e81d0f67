pub fn render() {}
